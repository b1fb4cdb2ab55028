using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Silo.Recordings;

/// <summary>
/// Records one session's pages for as long as the session lives, on the control plane's own CDP connection to its
/// browser. Every page is caught before its scripts run (browser-wide auto-attach that holds new targets until they are
/// told to run), given the recorder for every new document in its own isolated world and a binding to send events
/// through (with the Runtime and Page domains on: without them Chromium does not report binding calls, nor run the script
/// in a document that replaced another across processes while another client drives the page), and let go. Events arrive as <c>Runtime.bindingCalled</c>; every <see cref="RecordingOptions.FlushInterval"/>
/// (or sooner when much has come) each page's batches are gzipped into a chunk and appended to the store.
/// </summary>
internal sealed class SessionRecorder : IAsyncDisposable
{
    private readonly string _sessionId;
    private readonly CdpClient _cdp;
    private readonly IRecordingStore _store;
    private readonly RecordingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RecordedPage> _pages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _urls = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _flushSignal = new(0);
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private Task _flushing = Task.CompletedTask;
    private int _collectedBytes;
    private int _sequence;
    private bool _closed;
    private int _finished;

    private SessionRecorder(string sessionId, CdpClient cdp, IRecordingStore store, RecordingOptions options, TimeProvider clock, ILogger logger)
    {
        _sessionId = sessionId;
        _cdp = cdp;
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Completes when the recorder has stored its last chunk (its session ended, or its browser went).</summary>
    public Task Completion => _completion.Task;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<SessionRecorder> StartAsync(
        string sessionId, PodLease pod, IRecordingStore store, RecordingOptions options, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var cdp = await CdpClient.ConnectAsync(pod, cancellationToken);
        var recorder = new SessionRecorder(sessionId, cdp, store, options, clock, logger);
        try
        {
            cdp.EventReceived += recorder.OnEvent;
            await cdp.SendAsync("Target.setDiscoverTargets", new { discover = true }, cancellationToken: cancellationToken);
            await cdp.SendAsync("Target.setAutoAttach", new { autoAttach = true, waitForDebuggerOnStart = true, flatten = true }, cancellationToken: cancellationToken);
        }
        catch
        {
            await cdp.DisposeAsync();
            throw;
        }

        recorder._flushing = Task.Run(recorder.FlushLoopAsync);
        _ = cdp.Closed.ContinueWith(_ => recorder.FinishAsync(), TaskScheduler.Default);
        return recorder;
    }

    private void OnEvent(CdpEvent e)
    {
        switch (e.Method)
        {
            case "Runtime.bindingCalled" when e.SessionId is not null:
                OnBindingCalled(e.SessionId, e.Params);
                break;
            case "Target.attachedToTarget":
                _ = AttachedAsync(e.Params);
                break;
            case "Target.detachedFromTarget" when e.Params.TryGetProperty("sessionId", out var detached):
                lock (_lock)
                {
                    // Its last batches stay to be flushed: keep the page until then, under its target id.
                    foreach (var page in _pages.Values.Where(p => p.CdpSessionId == detached.GetString()))
                    {
                        page.RecorderContextId = null;
                    }
                }

                break;
            case "Target.targetInfoChanged":
                OnTargetInfoChanged(e.Params.GetProperty("targetInfo"));
                break;
        }
    }

    private void OnBindingCalled(string cdpSessionId, JsonElement parameters)
    {
        if (parameters.GetProperty("name").GetString() != RecorderScript.Binding || parameters.GetProperty("payload").GetString() is not { } payload)
        {
            return;
        }

        // Only the recorder's isolated world has the binding; still, take nothing but a non-empty JSON array.
        if (payload.Length < 3 || payload[0] != '[' || payload[^1] != ']')
        {
            return;
        }

        var signal = false;
        lock (_lock)
        {
            if (_closed || _pages.Values.FirstOrDefault(p => p.CdpSessionId == cdpSessionId) is not { } page)
            {
                return;
            }

            page.RecorderContextId = parameters.TryGetProperty("executionContextId", out var context) ? context.GetInt32() : null;
            page.Batches.Add(payload);
            _collectedBytes += payload.Length;
            signal = _collectedBytes >= _options.FlushBytes;
        }

        if (signal)
        {
            _flushSignal.Release();
        }
    }

    /// <summary>A navigation of a recorded page is marked in its stream, for the replay's timeline.</summary>
    private void OnTargetInfoChanged(JsonElement target)
    {
        if (target.GetProperty("type").GetString() != "page")
        {
            return;
        }

        var targetId = target.GetProperty("targetId").GetString()!;
        var url = target.GetProperty("url").GetString() ?? "";
        lock (_lock)
        {
            if (_closed || !_pages.TryGetValue(targetId, out var page) || page.Url == url)
            {
                return;
            }

            page.Url = url;
            var marker = new JsonArray(new JsonObject
            {
                ["type"] = 5,
                ["timestamp"] = _clock.GetUtcNow().ToUnixTimeMilliseconds(),
                ["data"] = new JsonObject { ["tag"] = "ufb.navigation", ["payload"] = new JsonObject { ["url"] = url } },
            });
            page.Batches.Add(marker.ToJsonString());
        }
    }

    private async Task AttachedAsync(JsonElement parameters)
    {
        var cdpSessionId = parameters.GetProperty("sessionId").GetString()!;
        var target = parameters.GetProperty("targetInfo");
        var targetId = target.GetProperty("targetId").GetString()!;
        try
        {
            if (target.GetProperty("type").GetString() != "page")
            {
                // Not recorded (workers, service workers): let it run and leave it.
                await _cdp.SendAsync("Runtime.runIfWaitingForDebugger", sessionId: cdpSessionId);
                await _cdp.SendAsync("Target.detachFromTarget", new { sessionId = cdpSessionId });
                return;
            }

            var page = new RecordedPage(targetId, cdpSessionId) { Url = target.GetProperty("url").GetString() };
            lock (_lock)
            {
                if (_closed)
                {
                    page = null;
                }
                else
                {
                    _pages[targetId] = page;
                }
            }

            if (page is null)
            {
                await _cdp.SendAsync("Runtime.runIfWaitingForDebugger", sessionId: cdpSessionId);
                return;
            }

            // Sent back to back, in order, and answered in order: the page is held only one round trip.
            var binding = _cdp.SendAsync("Runtime.addBinding", new { name = RecorderScript.Binding, executionContextName = RecorderScript.World }, cdpSessionId);
            var script = _cdp.SendAsync("Page.addScriptToEvaluateOnNewDocument",
                new { source = RecorderScript.Source, worldName = RecorderScript.World, runImmediately = true }, cdpSessionId);
            // Binding calls are reported only to a session with the Runtime domain on, and with another client on the page
            // (Playwright) the script reaches documents after a cross-process navigation only with the Page domain on.
            var runtime = _cdp.SendAsync("Runtime.enable", sessionId: cdpSessionId);
            var pageDomain = _cdp.SendAsync("Page.enable", sessionId: cdpSessionId);
            var run = _cdp.SendAsync("Runtime.runIfWaitingForDebugger", sessionId: cdpSessionId);
            await Task.WhenAll(binding, script, runtime, pageDomain, run);
            page.ScriptId = (await script).GetProperty("identifier").GetString();
        }
        catch (CdpException ex)
        {
            // The page closed while it was being set up, or the browser went; either way there is nothing to record.
            _logger.LogDebug(ex, "Recorder of session {SessionId} could not set up target {TargetId}", _sessionId, targetId);
        }
    }

    private async Task FlushLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _flushSignal.WaitAsync(_options.FlushInterval, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>Compresses what each page sent since the last flush into one chunk per page and appends them, in order.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken);
        try
        {
            List<(string PageId, List<string> Batches)> collected;
            lock (_lock)
            {
                collected = _pages.Values.Where(p => p.Batches.Count > 0).Select(p => (p.TargetId, p.Batches.ToList())).ToList();
                foreach (var page in _pages.Values)
                {
                    page.Batches.Clear();
                }

                _collectedBytes = 0;
            }

            foreach (var (pageId, batches) in collected)
            {
                var (events, rawBytes) = Compress(batches);
                var chunk = new RecordingChunk(pageId, ++_sequence, _clock.GetUtcNow(), rawBytes, events);
                RecordingAppend appended;
                try
                {
                    appended = await _store.AppendAsync(_sessionId, chunk, _options.MaxBytesPerRecording, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "Recorder of session {SessionId} could not store a chunk of {Bytes} bytes; it is lost", _sessionId, events.Length);
                    continue;
                }

                if (appended != RecordingAppend.Appended)
                {
                    _logger.LogInformation("Recording of session {SessionId} stopped: {Outcome}", _sessionId, appended);
                    await StopPagesAsync();
                    return;
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>The batches of one page as one JSON array, gzipped.</summary>
    private static (byte[] Events, int RawBytes) Compress(List<string> batches)
    {
        var json = new StringBuilder(batches.Sum(b => b.Length) + 2).Append('[');
        for (var i = 0; i < batches.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append(batches[i], 1, batches[i].Length - 2);
        }

        var raw = Encoding.UTF8.GetBytes(json.Append(']').ToString());
        using var compressed = new MemoryStream(raw.Length / 6 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return (compressed.ToArray(), raw.Length);
    }

    /// <summary>At the size limit: the pages stop recording (and stop paying for it), and new documents get no recorder.</summary>
    private async Task StopPagesAsync()
    {
        List<RecordedPage> pages;
        lock (_lock)
        {
            _closed = true;
            pages = _pages.Values.ToList();
            foreach (var page in pages)
            {
                page.Batches.Clear();
            }
        }

        await Task.WhenAll(pages.Select(async page =>
        {
            try
            {
                if (page.ScriptId is { } script)
                {
                    await _cdp.SendAsync("Page.removeScriptToEvaluateOnNewDocument", new { identifier = script }, page.CdpSessionId);
                }

                if (page.RecorderContextId is { } context)
                {
                    await _cdp.SendAsync("Runtime.evaluate", new { expression = RecorderScript.StopExpression, contextId = context }, page.CdpSessionId);
                }
            }
            catch (CdpException)
            {
                // The page is gone.
            }
        }));
    }

    /// <summary>
    /// The session is ending: each page hands over its last batch, everything collected is stored, the recording is marked
    /// complete and the connection closed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<RecordedPage> pages;
        lock (_lock)
        {
            pages = _closed ? [] : _pages.Values.Where(p => p.RecorderContextId is not null).ToList();
        }

        try
        {
            // The binding's calls arrive before the answer to the evaluate that made them.
            await Task.WhenAll(pages.Select(page => _cdp.SendAsync("Runtime.evaluate",
                new { expression = RecorderScript.FlushExpression, contextId = page.RecorderContextId }, page.CdpSessionId, cancellationToken)));
        }
        catch (Exception ex) when (ex is CdpException or OperationCanceledException)
        {
            _logger.LogDebug(ex, "Recorder of session {SessionId}: a page did not hand over its last events", _sessionId);
        }

        await FinishAsync();
    }

    private async Task FinishAsync()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            await _completion.Task;
            return;
        }

        try
        {
            await _stopping.CancelAsync();
            await _flushing;
            await FlushAsync(CancellationToken.None);
            await _store.FinishAsync(_sessionId, _clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Recorder of session {SessionId} could not store its last events", _sessionId);
        }
        finally
        {
            await _cdp.DisposeAsync();
            _completion.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync() => await FinishAsync();
}
