using System.Text.Json;
using System.Text.Json.Serialization;

namespace UFBrowsers.Grains.Profiles;

/// <summary>
/// What a profile keeps of a browser: every cookie of its default context (HttpOnly, session and partitioned ones included)
/// and the localStorage of each origin that has any. Stored as versioned JSON (this is what the size limit measures), then
/// encrypted by the store.
/// </summary>
public sealed record ProfileState(IReadOnlyList<BrowserCookie> Cookies, IReadOnlyList<OriginStorage> Origins)
{
    private const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ProfileState Empty { get; } = new([], []);

    public bool IsEmpty => Cookies.Count == 0 && Origins.Count == 0;

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(new Document(CurrentFormat, Cookies, Origins), Json);

    /// <summary>Reads a stored state; no bytes (a profile never saved) is the empty state.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a state of a format this build reads.</exception>
    public static ProfileState Deserialize(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return Empty;
        }

        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(bytes, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("The stored profile state is not valid JSON.", ex);
        }

        if (document is not { Format: CurrentFormat })
        {
            throw new InvalidDataException($"The stored profile state has format {document?.Format}; this build reads format {CurrentFormat}.");
        }

        return new ProfileState(document.Cookies ?? [], document.Origins?.Where(o => Origin(o.Origin) == o.Origin).ToList() ?? []);
    }

    /// <summary>The origins the cookies were set by or for: where a site that keeps cookies may also keep localStorage.</summary>
    public IEnumerable<string> CookieOrigins()
    {
        foreach (var cookie in Cookies)
        {
            var schemes = cookie.SourceScheme switch
            {
                "Secure" => ["https"],
                "NonSecure" => ["http"],
                _ => cookie.Secure ? new[] { "https" } : ["https", "http"],
            };
            foreach (var scheme in schemes)
            {
                var port = cookie.SourcePort is > 0 and <= 65535 ? $":{cookie.SourcePort}" : "";
                if (Origin($"{scheme}://{Bracketed(cookie.Host)}{port}/") is { } origin)
                {
                    yield return origin;
                }
            }
        }
    }

    /// <summary>
    /// The origin (<c>scheme://host[:port]</c>, as a page's <c>location.origin</c> says it) of an http or https URL; null for
    /// anything else (about:, data:, chrome:, file: …), whose storage a profile does not keep.
    /// </summary>
    public static string? Origin(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IdnHost.Length == 0)
        {
            return null;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }

    private static string Bracketed(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    private sealed record Document(int Format, IReadOnlyList<BrowserCookie>? Cookies, IReadOnlyList<OriginStorage>? Origins);
}
