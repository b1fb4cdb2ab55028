using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UFBrowsers.BenchSupport;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.LiveView;

internal sealed class LiveViewBench : IAsyncDisposable
{
    private readonly BenchApiHost _host;
    private readonly HttpClient _client;
    private readonly ExternalNetwork _site;
    private readonly IPlaywright _playwright;
    private readonly string _podsDirectory;

    private LiveViewBench(BenchApiHost host, HttpClient client, ExternalNetwork site, IPlaywright playwright, string podsDirectory)
    {
        _host = host;
        _client = client;
        _site = site;
        _playwright = playwright;
        _podsDirectory = podsDirectory;
    }

    public static async Task<LiveViewBench> StartAsync(IReadOnlyDictionary<string, string?> overrides)
    {
        var site = await ExternalNetwork.StartAsync(app =>
        {
            app.MapGet("/still", () => Results.Content(BenchPages.Still, "text/html"));
            app.MapGet("/load", () => Results.Content(BenchPages.Load, "text/html"));
            app.MapGet("/busy", () => Results.Content(BenchPages.Busy, "text/html"));
        });
        var pods = Path.Combine(Path.GetTempPath(), "ufb-bench-live-" + Environment.ProcessId);
        var settings = BenchSettings.ForSilo("Memory", warmTarget: 2, maxPods: 8);
        settings["UFBrowsers:LocalChromium:PodsDirectory"] = pods;
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var host = await BenchApiHost.StartAsync(settings, services => services.GetRequiredService<LocalChromiumPodProvider>());
        var customer = (await BenchCustomers.CreateAsync(host, 1, credits: 5000, prefix: "live"))[0];
        return new LiveViewBench(host, host.NewClient(customer.ApiKey), site, await Playwright.CreateAsync(), pods);
    }

    /// <summary>From a change the automation makes to the first frame a viewer receives (the page is still before it).</summary>
    public async Task FrameLatencyAsync(int samples)
    {
        await using var session = await OpenAsync("/still", recording: false);
        await using var viewer = await Viewer.ConnectAsync(await LiveLinkAsync(session.Id));
        await viewer.WaitForFramesAsync(1, TimeSpan.FromSeconds(30));
        var latencies = new List<double>();
        for (var i = 0; i < samples + 5; i++)
        {
            await viewer.WaitForQuietAsync(TimeSpan.FromMilliseconds(300));
            var before = viewer.Frames;
            var changed = Stopwatch.GetTimestamp();
            await session.Cdp.EvaluateAsync($"document.getElementById('n').textContent = '{i}'; document.body.style.background = '{(i % 2 == 0 ? "#eef" : "#fee")}'");
            var arrived = await viewer.WaitForFrameAfterAsync(before, TimeSpan.FromSeconds(10));
            if (i >= 5)
            {
                latencies.Add(Stopwatch.GetElapsedTime(changed, arrived).TotalMilliseconds);
            }
        }

        var sorted = latencies.Order().ToList();
        Console.WriteLine();
        Console.WriteLine("Live view frame latency (page change by the automation -> first frame at a viewer on loopback), ms");
        Console.WriteLine($"  p50 {Percentiles.Of(sorted, 50),7:F1}   p90 {Percentiles.Of(sorted, 90),7:F1}   p99 {Percentiles.Of(sorted, 99),7:F1}   (n={sorted.Count})   target p50 <= 60: {(Percentiles.Of(sorted, 50) <= 60 ? "met" : "NOT met")}");
        Console.WriteLine($"  frame settings at the end: {viewer.LastHeader}");
    }

    /// <summary>The automation's Runtime.evaluate round trip (each changes the page, so a watched page makes frames), with and without a viewer.</summary>
    public async Task RoundTripAsync(int evaluates)
    {
        await using var session = await OpenAsync("/still", recording: false);
        var link = await LiveLinkAsync(session.Id);
        var without = new List<double>();
        var with = new List<double>();
        const int Blocks = 10;
        var perBlock = Math.Max(50, evaluates / Blocks);
        for (var n = 0; n < 200; n++)
        {
            await session.Cdp.EvaluateAsync($"document.getElementById('n').textContent = 'warm {n}'");
        }

        for (var block = 0; block < Blocks * 2; block++)
        {
            // Alternate, and alternate which goes first, so both see the same machine.
            var watched = (block % 4) is 1 or 2;
            Viewer? viewer = null;
            if (watched)
            {
                viewer = await Viewer.ConnectAsync(link);
                await viewer.WaitForFramesAsync(1, TimeSpan.FromSeconds(30));
            }

            var into = watched ? with : without;
            var blockStart = Stopwatch.GetTimestamp();
            for (var n = 0; n < perBlock; n++)
            {
                var started = Stopwatch.GetTimestamp();
                await session.Cdp.EvaluateAsync($"document.getElementById('n').textContent = '{block}.{n}'");
                into.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }

            if (viewer is not null)
            {
                Console.WriteLine($"  (block {block}: viewer got {viewer.Frames} frames in {Stopwatch.GetElapsedTime(blockStart).TotalMilliseconds:F0} ms)");
                await viewer.DisposeAsync();
            }
        }

        var a = without.Order().ToList();
        var b = with.Order().ToList();
        var ratio = Percentiles.Of(b, 50) / Percentiles.Of(a, 50);
        Console.WriteLine();
        Console.WriteLine("Automation's Runtime.evaluate round trip through the gateway (each evaluate changes the page), µs: median, p99");
        Console.WriteLine($"  no viewer       {Percentiles.Of(a, 50),8:F0} {Percentiles.Of(a, 99),8:F0}   (n={a.Count})");
        Console.WriteLine($"  one viewer      {Percentiles.Of(b, 50),8:F0} {Percentiles.Of(b, 99),8:F0}   (n={b.Count})");
        Console.WriteLine($"  ratio           {ratio,8:F3} {Percentiles.Of(b, 99) / Percentiles.Of(a, 99),8:F3}   target <= 1.10: {(ratio <= 1.10 ? "met" : "NOT met")}");
    }

    /// <summary>Load time of the same page in a recorded and an unrecorded session (each on its own pod), alternating.</summary>
    public async Task PageLoadAsync(int loads)
    {
        await using var plain = await OpenAsync("/still", recording: false);
        await using var recorded = await OpenAsync("/still", recording: true);
        var results = new Dictionary<bool, (List<double> Load, List<double> Goto)> { [false] = ([], []), [true] = ([], []) };
        for (var i = 0; i < loads + 4; i++)
        {
            foreach (var session in i % 2 == 0 ? new[] { plain, recorded } : [recorded, plain])
            {
                var started = Stopwatch.GetTimestamp();
                await session.Page.GotoAsync($"{_site.PublicUrl}/load?{i}", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
                var gotoMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var loadMs = await session.Page.EvaluateAsync<double>("() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }");
                if (i >= 4)
                {
                    results[session.Recording].Load.Add(loadMs);
                    results[session.Recording].Goto.Add(gotoMs);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("Page load (800 rows, half made by script), ms: median, p99");
        foreach (var (name, pick) in new (string, Func<(List<double> Load, List<double> Goto), List<double>>)[] { ("navigation timing loadEventEnd", r => r.Load), ("automation's goto until load", r => r.Goto) })
        {
            var off = pick(results[false]).Order().ToList();
            var on = pick(results[true]).Order().ToList();
            var ratio = Percentiles.Of(on, 50) / Percentiles.Of(off, 50);
            Console.WriteLine($"  {name}:");
            Console.WriteLine($"    not recorded  {Percentiles.Of(off, 50),8:F1} {Percentiles.Of(off, 99),8:F1}   (n={off.Count})");
            Console.WriteLine($"    recorded      {Percentiles.Of(on, 50),8:F1} {Percentiles.Of(on, 99),8:F1}   (n={on.Count})");
            Console.WriteLine($"    ratio         {ratio,8:F3}              target <= 1.10: {(ratio <= 1.10 ? "met" : "NOT met")}");
        }
    }

    /// <summary>Compressed bytes stored per recorded minute of a busy page.</summary>
    public async Task BusyPageBytesAsync(int seconds)
    {
        var session = await OpenAsync("/busy", recording: true);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await session.DisposeAsync();
        var info = (await _host.Services.GetRequiredService<IRecordingStore>().GetAsync(session.Id, CancellationToken.None))!;
        var perMinute = info.BytesStored / elapsed.TotalMinutes;
        Console.WriteLine();
        Console.WriteLine($"Busy page recorded for {elapsed.TotalSeconds:F0} s (50x5 table, 20 cells changed every 100 ms, a ticker every 250 ms, a clock)");
        Console.WriteLine($"  stored {info.BytesStored:N0} bytes in {info.Chunks} chunks (events {info.RawBytes:N0} bytes before gzip, ratio {(double)info.RawBytes / info.BytesStored:F1}); truncated: {info.Truncated}");
        Console.WriteLine($"  {perMinute:N0} bytes per recorded minute ({perMinute / 1024 / 1024:F2} MiB), {perMinute * 60 / 1024 / 1024:F1} MiB per recorded hour");
    }

    private async Task<string> LiveLinkAsync(string sessionId)
    {
        var link = (await (await _client.PostAsJsonAsync($"/v1/sessions/{sessionId}/live-links", new { interactive = false, expiresInSeconds = 3600 }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonNode>())!;
        return link["url"]!.GetValue<string>();
    }

    private async Task<Session> OpenAsync(string path, bool recording)
    {
        var created = (await (await _client.PostAsJsonAsync("/v1/sessions", new { recording })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonNode>())!;
        var id = created["id"]!.GetValue<string>();
        var connectUrl = created["connectUrl"]!.GetValue<string>();
        var browser = await _playwright.Chromium.ConnectOverCDPAsync(connectUrl);
        var page = await browser.Contexts[0].NewPageAsync();
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync(_site.PublicUrl + path);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var targetId = (await cdp.SendAsync("Target.getTargetInfo"))!.Value.GetProperty("targetInfo").GetProperty("targetId").GetString()!;
        await cdp.DetachAsync();
        var token = new Uri(connectUrl).Query;
        var pageSocket = await PageSocket.ConnectAsync(new Uri($"{_host.BaseUrl.Replace("http://", "ws://")}/v1/sessions/{id}/cdp/page/{targetId}{token}"));
        return new Session(id, recording, browser, page, pageSocket, _client);
    }

    public async ValueTask DisposeAsync()
    {
        _playwright.Dispose();
        await _host.DisposeAsync();
        await _site.DisposeAsync();
        if (Directory.Exists(_podsDirectory))
        {
            Directory.Delete(_podsDirectory, recursive: true);
        }
    }

    private sealed record Session(string Id, bool Recording, IBrowser Browser, IPage Page, PageSocket Cdp, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Cdp.DisposeAsync();
            await Browser.CloseAsync();
            await Client.PostAsync($"/v1/sessions/{Id}/end", null);
        }
    }
}

/// <summary>The automation's own CDP connection to its page, through the gateway: one command at a time, its answer awaited.</summary>
internal sealed class PageSocket(ClientWebSocket socket) : IAsyncDisposable
{
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _id;

    public static async Task<PageSocket> ConnectAsync(Uri url)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, CancellationToken.None);
        return new PageSocket(socket);
    }

    public async Task EvaluateAsync(string expression)
    {
        var id = ++_id;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method = "Runtime.evaluate", @params = new { expression } });
        await socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
                length += received.Count;
            }
            while (!received.EndOfMessage);

            using var answer = JsonDocument.Parse(_buffer.AsMemory(0, length));
            if (answer.RootElement.TryGetProperty("id", out var got) && got.GetInt32() == id)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        socket.Dispose();
    }
}

/// <summary>A viewer as the link's page is one, without drawing: it acknowledges each frame as soon as it has it.</summary>
internal sealed class Viewer : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Task _receiving;
    private readonly Lock _lock = new();
    private readonly List<long> _arrivals = [];

    private Viewer(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    public int Frames
    {
        get
        {
            lock (_lock)
            {
                return _arrivals.Count;
            }
        }
    }

    public string LastHeader { get; private set; } = "";

    public static async Task<Viewer> ConnectAsync(string pageUrl)
    {
        var page = new Uri(pageUrl);
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{page.Authority}/v1/sessions/{page.AbsolutePath.Split('/').Last()}/live{page.Query}"), CancellationToken.None);
        await socket.SendAsync("""{"type":"size","width":1280,"height":800}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        return new Viewer(socket);
    }

    public async Task WaitForFramesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Frames < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The viewer got {Frames} of {count} frames.");
            }

            await Task.Delay(5);
        }
    }

    public async Task WaitForQuietAsync(TimeSpan quiet)
    {
        while (true)
        {
            long last;
            lock (_lock)
            {
                last = _arrivals.Count == 0 ? 0 : _arrivals[^1];
            }

            var since = Stopwatch.GetElapsedTime(last);
            if (since >= quiet)
            {
                return;
            }

            await Task.Delay(quiet - since);
        }
    }

    /// <summary>When the first frame after the <paramref name="before"/>th arrived (a Stopwatch timestamp).</summary>
    public async Task<long> WaitForFrameAfterAsync(int before, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_lock)
            {
                if (_arrivals.Count > before)
                {
                    return _arrivals[before];
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No frame after the change.");
            }

            await Task.Delay(1);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[8 << 20];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += received.Count;
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    var at = Stopwatch.GetTimestamp();
                    var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(buffer);
                    LastHeader = Encoding.UTF8.GetString(buffer, 4, headerLength) + $" + {length - 4 - headerLength} bytes of JPEG";
                    lock (_lock)
                    {
                        _arrivals.Add(at);
                    }

                    await _socket.SendAsync("""{"type":"ack"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        await Task.WhenAny(_receiving, Task.Delay(2000));
        _socket.Dispose();
    }
}
