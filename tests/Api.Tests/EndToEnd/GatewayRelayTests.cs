using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Tests.Gateway;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>The gateway's relay at the level of WebSocket frames, against real Chromium.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class GatewayRelayTests(ChromiumProductFixture product)
{
    [Fact]
    public async Task A_session_that_ends_in_the_middle_of_a_large_screenshot_closes_between_frames()
    {
        var (tenant, id, url) = await NewSession();
        // A small receive buffer keeps most of the screenshot waiting in the gateway rather than in this client's kernel.
        await using var raw = await RawGatewaySocket.Connect(url, receiveBufferBytes: 16 * 1024);
        var cdp = new CdpSocket(raw.WebSocket);
        var targetId = (await cdp.Send("Target.createTarget", new { url = "about:blank" }))["targetId"]!.GetValue<string>();
        var page = (await cdp.Send("Target.attachToTarget", new { targetId, flatten = true }))["sessionId"]!.GetValue<string>();
        await cdp.Send("Emulation.setDeviceMetricsOverride", new { width = 1920, height = 1080, deviceScaleFactor = 1, mobile = false }, page);
        await cdp.Send("Runtime.evaluate", new { expression = RandomPixels, returnByValue = true }, page);

        await raw.WebSocket.SendAsync(Encoding.UTF8.GetBytes($"{{\"id\":1000,\"method\":\"Page.captureScreenshot\",\"params\":{{\"format\":\"png\"}},\"sessionId\":\"{page}\"}}"),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var startsMessage = true;
        while (true)
        {
            var received = await raw.WebSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            if (startsMessage && !received.EndOfMessage && Encoding.UTF8.GetString(buffer, 0, received.Count).StartsWith("{\"id\":1000,", StringComparison.Ordinal))
            {
                break;
            }

            startsMessage = received.EndOfMessage;
        }

        var ending = tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        var (_, endedAMessage, status, description) = await raw.ReadToClose(TimeSpan.FromSeconds(30), pauseBetweenReads: TimeSpan.FromMilliseconds(5));
        (await ending).EnsureSuccessStatusCode();

        // Whole frames only (ReadToClose parses every frame up to the close), the message left unfinished. How much more of
        // it came first depends on how far the browser had got when the end arrived: none at all is a valid answer too
        // (a CI run under load saw it once).
        Assert.Equal(((WebSocketCloseStatus)CloseCodes.EndedByApi, "ended_by_api"), (status, description));
        Assert.False(endedAMessage, "the screenshot's message was not finished");
    }

    [Fact]
    public async Task A_client_close_is_answered_with_its_own_code_and_reaches_the_session()
    {
        var (tenant, id, url) = await NewSession();
        await using var cdp = await CdpSocket.Connect(url);
        await cdp.Send("Browser.getVersion");

        await cdp.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done here", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((WebSocketState.Closed, WebSocketCloseStatus.NormalClosure, "done here"), (cdp.Socket.State, cdp.Socket.CloseStatus, cdp.Socket.CloseStatusDescription));
        await Until(async () => (await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json())["connectedClients"]!.GetValue<int>() == 0);
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_message_over_the_limit_is_refused_at_its_header_with_1009(bool fragmented)
    {
        var (tenant, id, url) = await NewSession();
        await using var raw = await RawGatewaySocket.Connect(url);
        var limit = new GatewayOptions().MaxClientMessageBytes;
        var start = fragmented ? "{\"id\":1,"u8.ToArray() : [];
        var first = fragmented ? TestFrames.Frame(WebSocketOpcode.Text, start, fin: false, masked: true) : [];
        var header = MaskedHeader(fragmented ? WebSocketOpcode.Continuation : WebSocketOpcode.Text, limit + 1 - start.Length);

        // Only 1000 bytes of the payload follow: a close can only come from the header.
        await raw.Stream.WriteAsync((byte[])[.. first, .. header, .. new byte[1000]]);
        var (_, _, status, description) = await raw.ReadToClose(TimeSpan.FromSeconds(15));

        Assert.Equal((WebSocketCloseStatus.MessageTooBig, "message_too_big"), (status, description));
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Fact]
    public async Task An_unmasked_client_frame_closes_with_1002()
    {
        var (tenant, id, url) = await NewSession();
        await using var raw = await RawGatewaySocket.Connect(url);

        await raw.Stream.WriteAsync(TestFrames.Frame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes("{\"id\":1,\"method\":\"Browser.getVersion\"}")));
        var (_, _, status, description) = await raw.ReadToClose(TimeSpan.FromSeconds(15));

        Assert.Equal((WebSocketCloseStatus.ProtocolError, "protocol_error"), (status, description));
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Fact]
    public async Task A_ping_is_answered_by_the_browser_through_the_gateway()
    {
        var (tenant, id, url) = await NewSession();
        await using var raw = await RawGatewaySocket.Connect(url);

        await raw.Stream.WriteAsync(TestFrames.Frame(WebSocketOpcode.Ping, "are you there"u8.ToArray(), masked: true));
        var pong = new byte[TestFrames.Frame(WebSocketOpcode.Pong, "are you there"u8.ToArray()).Length];
        await raw.Stream.ReadExactlyAsync(pong).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(TestFrames.Frame(WebSocketOpcode.Pong, "are you there"u8.ToArray()), pong);
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Fact]
    public async Task A_fragmented_command_reaches_the_browser_whole()
    {
        var (tenant, id, url) = await NewSession();
        await using var raw = await RawGatewaySocket.Connect(url);
        var command = Encoding.UTF8.GetBytes("{\"id\":7,\"method\":\"Browser.getVersion\"}");

        await raw.WebSocket.SendAsync(command.AsMemory(0, 10), WebSocketMessageType.Text, false, CancellationToken.None);
        await raw.WebSocket.SendAsync(command.AsMemory(10), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var received = await raw.WebSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("{\"id\":7,\"result\":{", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    private async Task<(TestTenant Tenant, string Id, string ConnectUrl)> NewSession()
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession()).Json();
        return (tenant, session["id"]!.GetValue<string>(), session["connectUrl"]!.GetValue<string>());
    }

    /// <summary>The header of a final, masked frame with a 64-bit length (and a zero masking key).</summary>
    private static byte[] MaskedHeader(WebSocketOpcode opcode, long payloadLength)
    {
        var header = new byte[14];
        header[0] = (byte)(0x80 | (byte)opcode);
        header[1] = 0x80 | 127;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)payloadLength);
        return header;
    }

    /// <summary>A full-HD canvas of random pixels, which PNG cannot compress: an 8 MB screenshot.</summary>
    private const string RandomPixels =
        "document.body.style.margin='0';const c=document.createElement('canvas');c.width=1920;c.height=1080;document.body.appendChild(c);" +
        "const x=c.getContext('2d');const d=x.createImageData(1920,1080);" +
        "for(let i=0;i<d.data.length;i+=65536)crypto.getRandomValues(d.data.subarray(i,Math.min(i+65536,d.data.length)));" +
        "for(let i=3;i<d.data.length;i+=4)d.data[i]=255;x.putImageData(d,0,0);'ok'";

    private static async Task Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "condition not reached in time");
            await Task.Delay(50);
        }
    }
}
