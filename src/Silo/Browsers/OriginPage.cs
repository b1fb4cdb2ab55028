using System.Text;
using System.Text.Json;
using UFBrowsers.Grains.Profiles;

namespace UFBrowsers.Silo.Browsers;

/// <summary>
/// A throwaway page of the browser's default context through which the control plane reaches one origin's storage: each
/// navigation to an origin is intercepted (CDP <c>Fetch</c>) and answered with an empty page, so the page is of that origin
/// and nothing goes to the network; service workers are bypassed. Closed when disposed.
/// </summary>
/// <remarks>
/// <c>DOMStorage</c> would need a frame of the origin too, and reports no more than a script in the page reads; a script is
/// one round trip per origin.
/// </remarks>
internal sealed class OriginPage : IAsyncDisposable
{
    private const int ScriptFailedCode = -32000;

    private static readonly string EmptyDocument = Convert.ToBase64String(Encoding.UTF8.GetBytes("<!doctype html><title></title>"));

    private readonly CdpClient _cdp;
    private readonly string _targetId;
    private readonly string _session;
    private readonly Lock _gate = new();
    private string? _expectedOrigin;

    private OriginPage(CdpClient cdp, string targetId, string session)
    {
        _cdp = cdp;
        _targetId = targetId;
        _session = session;
        _cdp.EventReceived += OnEvent;
    }

    public static async Task<OriginPage> OpenAsync(CdpClient cdp, CancellationToken cancellationToken)
    {
        var targetId = (await cdp.SendAsync("Target.createTarget", new { url = "about:blank", background = true }, cancellationToken: cancellationToken))
            .GetProperty("targetId").GetString()!;
        try
        {
            var session = (await cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, cancellationToken: cancellationToken))
                .GetProperty("sessionId").GetString()!;
            var page = new OriginPage(cdp, targetId, session);
            await cdp.SendAsync("Network.enable", new { }, session, cancellationToken);
            await cdp.SendAsync("Network.setBypassServiceWorker", new { bypass = true }, session, cancellationToken);
            await cdp.SendAsync("Fetch.enable", new { patterns = new[] { new { urlPattern = "*", requestStage = "Request" } } }, session, cancellationToken);
            return page;
        }
        catch
        {
            await CloseQuietly(cdp, targetId);
            throw;
        }
    }

    /// <summary>Makes the page a document of <paramref name="origin"/>; false when the browser would not (the origin then has no storage to reach).</summary>
    public async Task<bool> NavigateAsync(string origin, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _expectedOrigin = origin;
        }

        // Page.navigate answers once the new document is committed (or the navigation failed).
        var navigation = await _cdp.SendAsync("Page.navigate", new { url = origin + "/" }, _session, cancellationToken);
        if (navigation.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 })
        {
            return false;
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var actual = await EvaluateAsync("location.origin", cancellationToken);
            if (actual.ValueKind == JsonValueKind.String && actual.GetString() == origin)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
        }

        // The browser made it another origin (an HSTS upgrade of http, for example): that origin's storage is not reachable here.
        return false;
    }

    public async Task<IReadOnlyList<KeyValuePair<string, string>>> ReadLocalStorageAsync(CancellationToken cancellationToken)
    {
        var items = await EvaluateAsync(
            "(() => { const s = window.localStorage, items = []; for (let i = 0; i < s.length; i++) { const k = s.key(i); items.push([k, s.getItem(k)]); } return items; })()",
            cancellationToken);
        return items.EnumerateArray()
            .Select(pair => new KeyValuePair<string, string>(pair[0].GetString() ?? "", pair[1].GetString() ?? ""))
            .ToList();
    }

    public async Task WriteLocalStorageAsync(IReadOnlyList<KeyValuePair<string, string>> items, CancellationToken cancellationToken)
    {
        // The items go in as a JSON literal, which is a valid JavaScript expression: no quoting of our own.
        var json = JsonSerializer.Serialize(items.Select(i => new[] { i.Key, i.Value }));
        await EvaluateAsync($"(items => {{ const s = window.localStorage; for (const [k, v] of items) s.setItem(k, v); return s.length; }})({json})", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _cdp.EventReceived -= OnEvent;
        await CloseQuietly(_cdp, _targetId);
    }

    private async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var answer = await _cdp.SendAsync("Runtime.evaluate", new { expression, returnByValue = true }, _session, cancellationToken);
        if (answer.TryGetProperty("exceptionDetails", out var exception))
        {
            // A page script that threw (a full quota, say): a refusal of this origin, not a lost connection.
            throw new CdpException("Runtime.evaluate", exception.TryGetProperty("text", out var text) ? text.GetString() ?? "script failed" : "script failed", ScriptFailedCode);
        }

        return answer.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>On the receive loop: answers the navigation with the empty page and refuses anything else.</summary>
    private void OnEvent(CdpEvent e)
    {
        if (e.SessionId != _session || e.Method != "Fetch.requestPaused")
        {
            return;
        }

        var requestId = e.Params.GetProperty("requestId").GetString();
        var url = e.Params.GetProperty("request").GetProperty("url").GetString();
        string? expected;
        lock (_gate)
        {
            expected = _expectedOrigin;
        }

        var isNavigation = e.Params.TryGetProperty("resourceType", out var type) && type.GetString() == "Document"
                           && expected is not null && ProfileState.Origin(url) == expected;
        _ = isNavigation
            ? Answer("Fetch.fulfillRequest", new
            {
                requestId,
                responseCode = 200,
                responseHeaders = new[] { new { name = "Content-Type", value = "text/html; charset=utf-8" }, new { name = "Cache-Control", value = "no-store" } },
                body = EmptyDocument,
            })
            : Answer("Fetch.failRequest", new { requestId, errorReason = "BlockedByClient" });
    }

    private async Task Answer(string method, object parameters)
    {
        try
        {
            await _cdp.SendAsync(method, parameters, _session);
        }
        catch (CdpException)
        {
            // The page went (closed, or the browser is ending): its navigation fails on its own.
        }
    }

    private static async Task CloseQuietly(CdpClient cdp, string targetId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await cdp.SendAsync("Target.closeTarget", new { targetId }, cancellationToken: timeout.Token);
        }
        catch (Exception ex) when (ex is CdpException or OperationCanceledException)
        {
            // Gone with the browser.
        }
    }
}
