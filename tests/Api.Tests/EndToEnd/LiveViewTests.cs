using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.TestSupport;
using Xunit.Abstractions;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>
/// Live view in real Chromium: the session's browser is a sandboxed pod driven by Playwright through the gateway (the
/// automation); the viewer is the link's page in an unsandboxed Chromium the test launches, driven by a second Playwright.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LiveViewTests(ChromiumProductFixture product, ITestOutputHelper output)
{
    /// <summary>The bound this suite holds a viewer to, from a page change to the changed frame on its canvas (a loaded 2-core machine; bench/LiveView measures the real figure).</summary>
    private static readonly TimeSpan ChangeSeenWithin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_view_only_viewer_sees_a_page_change_and_its_input_is_refused_by_the_server()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, page) = await StartSession(tenant, playwright, "/button");
        var url = await LiveLink(tenant, sessionId, interactive: false);
        await using var viewerBrowser = await LaunchViewer(playwright);
        var viewer = await viewerBrowser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });

        await viewer.GotoAsync(url);
        await Eventually.Until(async () => await viewer.EvaluateAsync<int>("() => window.ufbLive.frames") > 0);
        Assert.Equal("view_only", await viewer.EvaluateAsync<string>("() => window.ufbLive.mode"));
        Assert.True(await viewer.EvaluateAsync<int>("() => window.ufbLive.frames") > 0, "the viewer draws the session's tab");

        // A page change reaches the viewer's canvas.
        await page.EvaluateAsync("() => document.getElementById('target').style.background = 'rgb(255, 0, 0)'");
        var seenAfter = await Eventually.Until(async () => IsRed(await BackgroundPixel(viewer)), seconds: 30);
        output.WriteLine($"page change seen by the view-only viewer after {seenAfter.TotalMilliseconds:F0} ms (bound {ChangeSeenWithin.TotalMilliseconds} ms)");
        Assert.True(IsRed(await BackgroundPixel(viewer)), "the viewer shows the page's new colour");
        Assert.True(seenAfter < ChangeSeenWithin, $"the change took {seenAfter} to reach the viewer");

        // Its clicks and keys are refused by the server and never reach the page.
        await viewer.Locator("#screen").ClickAsync();
        await viewer.Keyboard.TypeAsync("abc");
        await Eventually.Until(async () => await viewer.EvaluateAsync<int>("() => window.ufbLive.refused") >= 4);
        Assert.True(await viewer.EvaluateAsync<int>("() => window.ufbLive.refused") >= 4, "each input message is answered with a refusal");

        // A client that ignores the page's rules gets the same answer: the refusal is the server's.
        using var raw = new ClientWebSocket();
        await raw.ConnectAsync(WebSocketUrl(url), CancellationToken.None);
        await raw.SendAsync(Encoding.UTF8.GetBytes("""{"type":"mouse","event":"mousePressed","x":400,"y":300,"button":"left","buttons":1,"clickCount":1}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        await raw.SendAsync(Encoding.UTF8.GetBytes("""{"type":"mouse","event":"mouseReleased","x":400,"y":300,"button":"left","clickCount":1}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        await raw.SendAsync(Encoding.UTF8.GetBytes("""{"type":"text","text":"typed"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        var refusals = await ReadTextMessages(raw, m => m.Contains("\"refused\"", StringComparison.Ordinal), count: 3);
        Assert.All(refusals, m => Assert.Contains("view_only", m, StringComparison.Ordinal));
        await Task.Delay(500);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.clicks || 0"));
        Assert.Equal("", await page.InputValueAsync("#field"));

        // The viewers are the control plane's: the session counts only the automation's connection.
        var session = await (await tenant.Client.GetAsync($"/v1/sessions/{sessionId}")).Json();
        Assert.Equal(1, session["connectedClients"]!.GetValue<int>());
        await automation.CloseAsync();
    }

    [Fact]
    public async Task An_interactive_viewer_clicks_and_types_into_the_page_the_automation_drives()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, page) = await StartSession(tenant, playwright, "/button");
        var url = await LiveLink(tenant, sessionId, interactive: true);
        await using var viewerBrowser = await LaunchViewer(playwright);
        var viewer = await viewerBrowser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });

        await viewer.GotoAsync(url);
        await Eventually.Until(async () => await viewer.EvaluateAsync<int>("() => window.ufbLive.frames") > 0);
        Assert.Equal("interactive", await viewer.EvaluateAsync<string>("() => window.ufbLive.mode"));

        await viewer.Locator("#screen").ClickAsync();
        await Eventually.Until(async () => await page.EvaluateAsync<int>("() => window.clicks || 0") >= 1);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.clicks || 0"));
        Assert.Equal("clicked 1", await page.InnerTextAsync("#target"));

        // Keys go to the focused element of the page.
        await page.FocusAsync("#field");
        await viewer.Locator("#screen").FocusAsync();
        await viewer.Keyboard.TypeAsync("hi");
        await Eventually.Until(async () => await page.InputValueAsync("#field") == "hi");
        Assert.Equal("hi", await page.InputValueAsync("#field"));
        Assert.Equal(0, await viewer.EvaluateAsync<int>("() => window.ufbLive.refused"));
        await automation.CloseAsync();
    }

    // Chromium's first tab (about:blank) stays open next to the automation's page. Discovery reports both as created; the
    // view must still settle on the page the automation drives, every time a view opens (it closes with its last viewer).
    // The race this guards against (a follow of the blank tab, fired by discovery, finishing last) is rare on a quiet
    // machine: this test did not catch it in two runs without the fix, so it is a guard, not a reproduction.
    [Fact]
    public async Task A_view_opened_next_to_the_browsers_first_blank_tab_shows_the_page_the_automation_drives()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, page) = await StartSession(tenant, playwright, "/button");
        var pageCdp = await page.Context.NewCDPSessionAsync(page);
        var pageTarget = (await pageCdp.SendAsync("Target.getTargetInfo"))!.Value.GetProperty("targetInfo").GetProperty("targetId").GetString();
        var browserCdp = await automation.NewBrowserCDPSessionAsync();
        var pages = (await browserCdp.SendAsync("Target.getTargets"))!.Value.GetProperty("targetInfos").EnumerateArray()
            .Where(t => t.GetProperty("type").GetString() == "page").Select(t => t.GetProperty("url").GetString()).ToList();
        Assert.Contains("about:blank", pages);
        Assert.Equal(2, pages.Count);

        var url = await LiveLink(tenant, sessionId, interactive: false);
        await EachNewViewShows(url, pageTarget, views: 5);

        await automation.CloseAsync();
    }

    // A page filled with page.setContent stays at about:blank, like Chromium's first tab and any new empty tab beside it,
    // and Target.getTargets lists them in no set order: the view must still pick the page with the content.
    [Fact]
    public async Task A_view_opened_on_a_page_filled_by_set_content_shows_it_and_not_the_browsers_first_blank_tab()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, page) = await NewSessionPage(tenant, playwright);
        await page.SetContentAsync("<body style='background:#f00'><h1>filled by setContent</h1></body>");
        Assert.Equal("about:blank", page.Url);
        var pageTarget = (await (await page.Context.NewCDPSessionAsync(page)).SendAsync("Target.getTargetInfo"))!.Value
            .GetProperty("targetInfo").GetProperty("targetId").GetString();
        // And more blank tabs opened after it, so that picking by the listing's order would rarely land on the filled one.
        for (var blank = 0; blank < 5; blank++)
        {
            await automation.Contexts[0].NewPageAsync();
        }

        var url = await LiveLink(tenant, sessionId, interactive: false);
        await EachNewViewShows(url, pageTarget, views: 5);

        // And its changes are seen.
        await using var counter = await FrameCounter.ConnectAsync(WebSocketUrl(url));
        await page.EvaluateAsync("() => { let n = 0; setInterval(() => { document.querySelector('h1').textContent = 'tick ' + n++; }, 20); }");
        await Task.Delay(TimeSpan.FromSeconds(2));
        output.WriteLine($"{counter.Arrivals.Count} frames in 2 s");
        Assert.True(counter.Arrivals.Count >= 5, $"{counter.Arrivals.Count} frames of a page that changes every 20 ms");
        await automation.CloseAsync();
    }

    [Fact]
    public async Task A_view_opens_at_once_beside_a_blank_tab_whose_page_is_stuck_in_a_script()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, page) = await NewSessionPage(tenant, playwright);
        await page.SetContentAsync("<h1>busy</h1>");
        // Its renderer runs this for 8 s and answers nothing else meanwhile, the view's look at the document included.
        await page.EvaluateAsync("() => { setTimeout(() => { const end = Date.now() + 8000; while (Date.now() < end) {} }, 0); }");

        var url = await LiveLink(tenant, sessionId, interactive: false);
        var opened = System.Diagnostics.Stopwatch.StartNew();
        using var viewer = new ClientWebSocket();
        await viewer.ConnectAsync(WebSocketUrl(url), CancellationToken.None);
        await viewer.SendAsync("""{"type":"size","width":800,"height":600}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var tabs = await ReadTextMessages(viewer, text => text.Contains("\"type\":\"tabs\""), 1);
        output.WriteLine($"view open after {opened.ElapsedMilliseconds} ms: {tabs[0]}");
        Assert.True(opened.Elapsed < TimeSpan.FromSeconds(5), $"the view took {opened.Elapsed} to open");
        viewer.Abort();
        await automation.CloseAsync();
    }

    [Fact]
    public async Task A_link_of_another_session_an_expired_link_and_a_link_of_an_ended_session_are_refused()
    {
        var tenant = await product.NewTenant(credits: 10);
        var other = await product.NewTenant(credits: 10);
        var first = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();
        var second = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();
        using var anonymous = product.Anonymous();

        // Another tenant cannot make links for this session: it does not exist for them.
        var foreign = await other.Client.PostAsJsonAsync($"/v1/sessions/{first}/live-links", new { interactive = true });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        // The first session's token does not open the second session.
        var url = await LiveLink(tenant, first, interactive: true);
        var token = new Uri(url).Query;
        var page = await anonymous.GetAsync($"/live/{second}{token}");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal("invalid_token", (await page.Json())["code"]!.GetValue<string>());
        var socket = await anonymous.GetAsync($"/v1/sessions/{second}/live{token}");
        Assert.Equal(HttpStatusCode.Unauthorized, socket.StatusCode);
        using var stolen = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => stolen.ConnectAsync(WebSocketUrl(url.Replace(first, second, StringComparison.Ordinal)), CancellationToken.None));

        // A view-only token cannot be made interactive: the mode is signed.
        var viewOnly = new Uri(await LiveLink(tenant, first, interactive: false)).Query;
        var upgraded = viewOnly.Replace(".v.", ".i.", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/live/{first}{upgraded}")).StatusCode);

        // The page itself opens, embeddable, with its own policy.
        var opened = await anonymous.GetAsync($"/live/{first}{token}");
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var policy = opened.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors *", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.False(opened.Headers.Contains("X-Frame-Options"));

        // An expired link.
        var shortLived = await tenant.Client.PostAsJsonAsync($"/v1/sessions/{first}/live-links", new { expiresInSeconds = 1 });
        Assert.Equal(HttpStatusCode.Created, shortLived.StatusCode);
        var expired = new Uri((await shortLived.Json())["url"]!.GetValue<string>()).Query;
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var late = await anonymous.GetAsync($"/live/{first}{expired}");
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Equal("link_expired", (await late.Json())["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/sessions/{first}/live{expired}")).StatusCode);

        // Bad input changes nothing.
        var invalid = await tenant.Client.PostAsJsonAsync($"/v1/sessions/{first}/live-links", new { expiresInSeconds = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("invalid_expires_in", (await invalid.Json())["code"]!.GetValue<string>());

        // A viewer watching when the session ends is closed, and the link stops working.
        using var watching = new ClientWebSocket();
        await watching.ConnectAsync(WebSocketUrl(url), CancellationToken.None);
        await ReadTextMessages(watching, m => m.Contains("\"hello\"", StringComparison.Ordinal), count: 1);
        (await tenant.Client.PostAsync($"/v1/sessions/{first}/end", null)).EnsureSuccessStatusCode();
        var closed = await ReadUntilClosed(watching);
        Assert.Equal(4100, (int)closed!.Value);
        var after = await anonymous.GetAsync($"/live/{first}{token}");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal("session_ended", (await after.Json())["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.PostAsJsonAsync($"/v1/sessions/{first}/live-links", new { })).StatusCode);
        await tenant.Client.PostAsync($"/v1/sessions/{second}/end", null);
    }

    [Fact]
    public async Task A_page_that_changes_all_the_time_is_sent_no_faster_than_the_frame_interval_and_never_stops_being_sent()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, page) = await StartSession(tenant, playwright, "/button");
        // A change on every animation frame: the browser would paint 60 frames a second for a viewer that keeps up.
        await page.EvaluateAsync("() => { let n = 0; const tick = () => { document.getElementById('target').textContent = 'frame ' + n++; requestAnimationFrame(tick); }; tick(); }");

        // A viewer that acknowledges each frame the moment it arrives.
        await using var viewer = await FrameCounter.ConnectAsync(WebSocketUrl(await LiveLink(tenant, sessionId, interactive: false)));
        var started = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(6));
        var elapsed = DateTime.UtcNow - started;
        var frames = viewer.Arrivals;

        // MinFrameInterval is 100 ms: at most one frame per interval, whatever the browser paints (acknowledging every
        // frame that arrived together, an earlier pacing, let three through per interval: 112 in 4 s).
        output.WriteLine($"{frames.Count} frames in {elapsed.TotalMilliseconds:F0} ms, {frames.Count(f => f > started + elapsed - TimeSpan.FromSeconds(2))} in the last 2 s");
        Assert.InRange(frames.Count, 5, (int)(elapsed.TotalMilliseconds / 100) + 2);
        // And they keep coming: the screencast stopped between frames is always started again (an earlier version left a
        // restarted screencast's frames unacknowledged now and then, and the browser stops sending after a few).
        Assert.True(frames.Count(f => f > started + elapsed - TimeSpan.FromSeconds(2)) >= 4, "frames stopped coming");
        await automation.CloseAsync();
    }

    [Fact]
    public async Task A_viewer_that_joins_the_view_of_a_still_page_sees_it_at_once()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, _) = await StartSession(tenant, playwright, "/button");
        var url = WebSocketUrl(await LiveLink(tenant, sessionId, interactive: false));
        await using var first = await FrameCounter.ConnectAsync(url);
        await Eventually.Until(() => Task.FromResult(first.Arrivals.Count > 0));
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The page has not changed since: the browser sends no new frame, so the second viewer gets the last one.
        await using var second = await FrameCounter.ConnectAsync(url);
        await Eventually.Until(() => Task.FromResult(second.Arrivals.Count > 0));
        Assert.Single(second.Arrivals);
        await automation.CloseAsync();
    }

    [Fact]
    public async Task A_page_that_went_still_sends_nothing_more_and_its_next_change_is_sent()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var (sessionId, automation, page) = await StartSession(tenant, playwright, "/button");
        await page.EvaluateAsync("() => { let n = 0; const tick = () => { if (window.still) return; document.getElementById('target').textContent = 'frame ' + n++; requestAnimationFrame(tick); }; tick(); }");
        await using var viewer = await FrameCounter.ConnectAsync(WebSocketUrl(await LiveLink(tenant, sessionId, interactive: false)));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(viewer.Arrivals.Count >= 3, $"{viewer.Arrivals.Count} frames while the page animated");

        await page.EvaluateAsync("() => { window.still = true; }");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var settled = viewer.Arrivals.Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        // The screencast was stopped and started again around the last change: the start sends the page as it is, the
        // same as the frame before, and that is not sent.
        Assert.Equal(settled, viewer.Arrivals.Count);

        var changedAt = DateTime.UtcNow;
        await page.EvaluateAsync("() => { document.getElementById('target').textContent = 'changed'; }");
        var deadline = DateTime.UtcNow + ChangeSeenWithin;
        while (viewer.Arrivals.Count == settled && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(viewer.Arrivals.Count > settled, "the change after a still moment was not sent");
        output.WriteLine($"change sent after {(viewer.Arrivals[settled] - changedAt).TotalMilliseconds:F0} ms");
        await automation.CloseAsync();
    }

    private async Task<(string SessionId, IBrowser Automation, IPage Page)> StartSession(TestTenant tenant, IPlaywright playwright, string path)
    {
        var (sessionId, automation, page) = await NewSessionPage(tenant, playwright);
        await page.SetViewportSizeAsync(800, 600);
        await page.GotoAsync(product.SiteUrl + path);
        return (sessionId, automation, page);
    }

    /// <summary>A new session, the automation connected to it, and a new page of its own (about:blank).</summary>
    private static async Task<(string SessionId, IBrowser Automation, IPage Page)> NewSessionPage(TestTenant tenant, IPlaywright playwright)
    {
        var created = await (await tenant.Client.CreateSession()).Json();
        var automation = await playwright.Chromium.ConnectOverCDPAsync(created["connectUrl"]!.GetValue<string>());
        return (created["id"]!.GetValue<string>(), automation, await automation.Contexts[0].NewPageAsync());
    }

    /// <summary>Opens <paramref name="views"/> views one after the other (each closes with its only viewer) and checks the tab each settles on.</summary>
    private static async Task EachNewViewShows(string url, string? tab, int views)
    {
        for (var round = 0; round < views; round++)
        {
            using var viewer = new ClientWebSocket();
            await viewer.ConnectAsync(WebSocketUrl(url), CancellationToken.None);
            await viewer.SendAsync("""{"type":"size","width":800,"height":600}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Equal(tab, await CurrentTabOnceSettled(viewer));
            viewer.Abort();
            await Task.Delay(300);
        }
    }

    private static async Task<string> LiveLink(TestTenant tenant, string sessionId, bool interactive)
    {
        var response = await tenant.Client.PostAsJsonAsync($"/v1/sessions/{sessionId}/live-links", new { interactive, expiresInSeconds = 600 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var link = await response.Json();
        Assert.Equal(interactive, link["interactive"]!.GetValue<bool>());
        return link["url"]!.GetValue<string>();
    }

    private static Task<IBrowser> LaunchViewer(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox"],
    });

    private static Uri WebSocketUrl(string pageUrl)
    {
        var page = new Uri(pageUrl);
        var sessionId = page.AbsolutePath.Split('/').Last();
        return new Uri($"ws://{page.Authority}/v1/sessions/{sessionId}/live{page.Query}");
    }

    /// <summary>A pixel of the canvas away from the button's text.</summary>
    private static async Task<int[]?> BackgroundPixel(IPage viewer) => await viewer.EvaluateAsync<int[]?>("""
        () => {
          const c = document.getElementById('screen');
          if (!c.width) return null;
          const d = c.getContext('2d').getImageData(c.width / 10 | 0, c.height * 0.8 | 0, 1, 1).data;
          return [d[0], d[1], d[2]];
        }
        """);

    private static bool IsRed(int[]? rgb) => rgb is [> 200, < 80, < 80];

    /// <summary>The tab the view shows, from the last <c>tabs</c> message of the first second after frames began to arrive.</summary>
    private static async Task<string?> CurrentTabOnceSettled(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 20];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? current = null;
        var framesBegan = false;
        while (true)
        {
            var length = 0;
            WebSocketReceiveResult received;
            try
            {
                do
                {
                    received = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
                    length += received.Count;
                }
                while (!received.EndOfMessage);
            }
            catch (OperationCanceledException) when (framesBegan)
            {
                // A still page sends no more frames: the second after the first one has passed (the socket is aborted).
                return current;
            }

            if (received.MessageType == WebSocketMessageType.Binary)
            {
                if (!framesBegan)
                {
                    framesBegan = true;
                    timeout.CancelAfter(TimeSpan.FromSeconds(1));
                }

                await socket.SendAsync("""{"type":"ack"}"""u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
            }
            else if (JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length)) is { } message && (string?)message["type"] == "tabs")
            {
                current = (string?)message["current"];
            }
        }
    }

    private static async Task<List<string>> ReadTextMessages(ClientWebSocket socket, Func<string, bool> wanted, int count)
    {
        var found = new List<string>();
        var buffer = new byte[1 << 20];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (found.Count < count)
        {
            var length = 0;
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
                length += received.Count;
            }
            while (!received.EndOfMessage);

            if (received.MessageType == WebSocketMessageType.Text && Encoding.UTF8.GetString(buffer, 0, length) is var text && wanted(text))
            {
                found.Add(text);
            }
            else if (received.MessageType == WebSocketMessageType.Binary)
            {
                // Frames are acknowledged like a viewer does, so more keep coming.
                await socket.SendAsync("""{"type":"ack"}"""u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
            }
        }

        return found;
    }

    private static async Task<WebSocketCloseStatus?> ReadUntilClosed(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 20];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return received.CloseStatus;
            }
        }
    }

    /// <summary>A viewer's socket that acknowledges every frame the moment it arrives and notes when each came.</summary>
    private sealed class FrameCounter : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<DateTime> _arrivals = [];
        private Task _receiving = Task.CompletedTask;

        public List<DateTime> Arrivals
        {
            get
            {
                lock (_arrivals)
                {
                    return [.. _arrivals];
                }
            }
        }

        public static async Task<FrameCounter> ConnectAsync(Uri url)
        {
            var counter = new FrameCounter();
            await counter._socket.ConnectAsync(url, CancellationToken.None);
            await counter._socket.SendAsync("""{"type":"size","width":800,"height":600}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            counter._receiving = counter.ReceiveAsync();
            return counter;
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[8 << 20];
            try
            {
                while (true)
                {
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        received = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    }
                    while (!received.EndOfMessage);

                    if (received.MessageType == WebSocketMessageType.Binary)
                    {
                        lock (_arrivals)
                        {
                            _arrivals.Add(DateTime.UtcNow);
                        }

                        await _socket.SendAsync("""{"type":"ack"}"""u8.ToArray(), WebSocketMessageType.Text, true, _stop.Token);
                    }
                    else if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _socket.Abort();
            await _receiving;
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
