using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Gateway.Policy;

namespace UFBrowsers.Api.Tests.Gateway.Policy;

/// <summary>
/// Drives a <see cref="ClientMessageInspector"/> as the relay's client-to-browser pump does, with reads cut to a given
/// size, and records what the browser and the client would receive.
/// </summary>
internal sealed class InspectorHarness
{
    public const string Downloads = "/pods/chromium-1/downloads";

    private readonly MemoryStream _browser = new();
    private readonly MemoryStream _client = new();

    public byte[] ToBrowser => _browser.ToArray();

    public int SessionEnds { get; private set; }

    public InspectorStop? Stopped { get; private set; }

    public (WebSocketCloseStatus? Status, string? Reason) Close { get; private set; }

    /// <summary>Runs the bytes through; <paramref name="endSession"/> answers the session's end (false: it could not be ended).</summary>
    public static InspectorHarness Run(byte[] input, int readSize = 65536, int capacity = 65536, string? downloads = Downloads,
        long maxMessageBytes = 64 * 1024 * 1024, bool endSession = true)
    {
        var harness = new InspectorHarness();
        using var inspector = new ClientMessageInspector(downloads, maxMessageBytes, capacity);
        var buffer = new byte[capacity];
        var end = 0;
        var offset = 0;
        while (offset < input.Length && harness.Stopped is null)
        {
            var read = Math.Min(Math.Min(readSize, capacity - end), input.Length - offset);
            Assert.True(read > 0, "the inspector left no room in the buffer");
            input.AsSpan(offset, read).CopyTo(buffer.AsSpan(end));
            offset += read;
            end += read;
            while (true)
            {
                var step = inspector.Inspect(buffer, end);
                Assert.InRange(step.Forward, 0, step.Consumed);
                Assert.InRange(step.Consumed, 0, end);
                harness._browser.Write(buffer, 0, step.Forward);
                if (step.ToBrowser is { } replacement)
                {
                    harness._browser.Write(replacement);
                }

                if (step.ToClient is { } answer)
                {
                    harness._client.Write(answer);
                }

                if (step.EndSession)
                {
                    harness.SessionEnds++;
                    if (!endSession)
                    {
                        harness._browser.Write(step.Original!);
                    }
                }

                if (step.Stop is { } stop)
                {
                    harness.Stopped = stop;
                    harness.Close = (step.CloseStatus, step.CloseReason);
                    break;
                }

                buffer.AsSpan(step.Consumed, end - step.Consumed).CopyTo(buffer);
                end -= step.Consumed;
                if (!step.More)
                {
                    break;
                }
            }
        }

        return harness;
    }

    /// <summary>The complete messages the browser received, unmasked (a message left unfinished is not among them).</summary>
    public List<string> BrowserMessages() => Messages(ToBrowser, expectMasked: true);

    /// <summary>The gateway's answers the client received, parsed.</summary>
    public List<JsonObject> ClientMessages() => Messages(_client.ToArray(), expectMasked: false).Select(m => JsonNode.Parse(m)!.AsObject()).ToList();

    /// <summary>Splits bytes into frames and joins data frames into messages; control frames are skipped.</summary>
    public static List<string> Messages(byte[] bytes, bool expectMasked)
    {
        var messages = new List<string>();
        var current = new List<byte>();
        var position = 0;
        while (position < bytes.Length)
        {
            var status = WebSocketFrameHeader.TryRead(bytes.AsSpan(position), out var header);
            if (status != System.Buffers.OperationStatus.Done || bytes.Length - position < header.Length + header.PayloadLength)
            {
                break;
            }

            Assert.Equal(expectMasked, header.Masked);
            var payload = bytes.AsSpan(position + header.Length, (int)header.PayloadLength).ToArray();
            if (header.Masked)
            {
                Masking.Apply(payload, payload, bytes.AsSpan(position + header.Length - 4, 4), 0);
            }

            position += header.Length + (int)header.PayloadLength;
            if (header.IsControl)
            {
                continue;
            }

            current.AddRange(payload);
            if (header.Fin)
            {
                messages.Add(Encoding.UTF8.GetString([.. current]));
                current.Clear();
            }
        }

        return messages;
    }

    public static byte[] Command(string json, WebSocketOpcode opcode = WebSocketOpcode.Text) =>
        TestFrames.Frame(opcode, Encoding.UTF8.GetBytes(json), masked: true);

    /// <summary>One message cut into frames of the given sizes (the last takes the rest), a ping after the first.</summary>
    public static byte[] Fragmented(string json, params int[] cuts)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        var frames = new List<byte>();
        var start = 0;
        for (var i = 0; i <= cuts.Length; i++)
        {
            var length = i < cuts.Length ? cuts[i] : payload.Length - start;
            var opcode = i == 0 ? WebSocketOpcode.Text : WebSocketOpcode.Continuation;
            frames.AddRange(TestFrames.Frame(opcode, payload[start..(start + length)], fin: i == cuts.Length, masked: true));
            if (i == 0)
            {
                frames.AddRange(TestFrames.Frame(WebSocketOpcode.Ping, "ping"u8.ToArray(), masked: true));
            }

            start += length;
        }

        return [.. frames];
    }
}
