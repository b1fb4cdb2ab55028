using System.Buffers;
using System.Text.Json;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>The gateway's own answers to a client's command, as whole (unmasked) server frames, shaped as Chromium shapes its own.</summary>
public static class CdpReplies
{
    /// <summary>JSON-RPC's "server error" range, which Chromium uses for commands it will not run.</summary>
    public const int RefusedCode = -32000;

    /// <summary>JSON-RPC's parse error, for a command the gateway could not read.</summary>
    public const int UnreadableCode = -32700;

    public static byte[] Error(CdpMessageHead command, int code, string message) =>
        Frame(command, writer =>
        {
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        });

    /// <summary>A success with an empty result, as Chromium answers <c>Browser.close</c>.</summary>
    public static byte[] EmptyResult(CdpMessageHead command) =>
        Frame(command, writer =>
        {
            writer.WriteStartObject("result");
            writer.WriteEndObject();
        });

    private static byte[] Frame(CdpMessageHead command, Action<Utf8JsonWriter> body)
    {
        var json = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (command.Id is { } id)
            {
                writer.WriteNumber("id", id);
            }

            body(writer);
            if (command.SessionId is { } sessionId)
            {
                writer.WriteString("sessionId", sessionId);
            }

            writer.WriteEndObject();
        }

        var header = WebSocketFrameHeader.Unmasked(true, WebSocketOpcode.Text, json.WrittenCount);
        var frame = new byte[header.Length + json.WrittenCount];
        header.Write(frame);
        json.WrittenSpan.CopyTo(frame.AsSpan(header.Length));
        return frame;
    }
}
