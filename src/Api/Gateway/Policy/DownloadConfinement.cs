using System.Text.Json;
using System.Text.Json.Nodes;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>
/// <c>Browser.setDownloadBehavior</c> and <c>Page.setDownloadBehavior</c> with the session's downloads directory in place
/// of any path the client named. The behaviour (<c>allow</c>, <c>allowAndName</c>, …) and every other parameter are kept.
/// </summary>
public static class DownloadConfinement
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The command to send instead; <see cref="DownloadCommand.Unchanged"/> when it names no path and allows nothing, or a refusal.</summary>
    public static DownloadCommand Confine(ReadOnlySpan<byte> command, string? downloadsDirectory)
    {
        JsonObject message;
        try
        {
            message = JsonNode.Parse(command, documentOptions: StrictJson) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return DownloadCommand.Refused("the gateway could not read this command as plain JSON with unique keys");
        }

        if (message["params"] is not JsonObject parameters)
        {
            // Chromium answers the missing behaviour itself; without a path nothing is written anywhere.
            return DownloadCommand.Unchanged;
        }

        var allows = parameters["behavior"] is JsonValue behavior
                     && behavior.TryGetValue<string>(out var value)
                     && value is "allow" or "allowAndName";
        if (!allows && !parameters.ContainsKey("downloadPath"))
        {
            return DownloadCommand.Unchanged;
        }

        if (downloadsDirectory is null)
        {
            return DownloadCommand.Refused("this session's browser has no downloads directory, so downloads cannot be allowed");
        }

        parameters["downloadPath"] = downloadsDirectory;
        return DownloadCommand.Rewritten(JsonSerializer.SerializeToUtf8Bytes(message));
    }
}

public sealed record DownloadCommand(byte[]? Payload, string? Refusal)
{
    public static readonly DownloadCommand Unchanged = new(null, null);

    public static DownloadCommand Rewritten(byte[] payload) => new(payload, null);

    public static DownloadCommand Refused(string reason) => new(null, reason);
}
