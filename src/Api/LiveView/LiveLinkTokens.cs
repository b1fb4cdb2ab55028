using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Grains;

namespace UFBrowsers.Api.LiveView;

/// <summary>
/// Live link tokens: <c>{expiry unix seconds}.{v|i}.{base64url HMAC-SHA256}</c> over the session id, the mode and the
/// expiry. The mode is inside the signature, so a view-only token cannot be turned into an interactive one; the key is
/// derived from the gateway's signing key for this purpose alone, so a live token never opens the CDP gateway and a
/// connect token never opens a live view.
/// </summary>
public sealed class LiveLinkTokens
{
    private readonly byte[] _key;
    private readonly TimeProvider _clock;

    public LiveLinkTokens(IOptions<GatewayOptions> options, [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock)
    {
        _clock = clock;
        // Without a configured key SessionTokens makes (and logs) a random one; live links then die with the process too.
        var key = string.IsNullOrEmpty(options.Value.SigningKey) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(options.Value.SigningKey);
        _key = HMACSHA256.HashData(key, "ufb-live-view-key"u8);
    }

    public string Issue(string sessionId, LiveViewMode mode, DateTimeOffset expiresAt)
    {
        var expiry = expiresAt.ToUnixTimeSeconds();
        return $"{expiry.ToString(CultureInfo.InvariantCulture)}.{Letter(mode)}.{WebEncoders.Base64UrlEncode(Mac(sessionId, Letter(mode), expiry))}";
    }

    /// <summary>Checks a token for <paramref name="sessionId"/>; the mode it grants when valid.</summary>
    public (SessionTokenCheck Check, LiveViewMode Mode, DateTimeOffset ExpiresAt) Check(string sessionId, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (SessionTokenCheck.Missing, default, default);
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || parts[1] is not ("v" or "i"))
        {
            return (SessionTokenCheck.Invalid, default, default);
        }

        byte[] mac;
        try
        {
            mac = WebEncoders.Base64UrlDecode(parts[2]);
        }
        catch (FormatException)
        {
            return (SessionTokenCheck.Invalid, default, default);
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(sessionId, parts[1], expiry)))
        {
            return (SessionTokenCheck.Invalid, default, default);
        }

        var mode = parts[1] == "i" ? LiveViewMode.Interactive : LiveViewMode.ViewOnly;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expiry);
        return (_clock.GetUtcNow() >= expiresAt ? SessionTokenCheck.Expired : SessionTokenCheck.Valid, mode, expiresAt);
    }

    private static string Letter(LiveViewMode mode) => mode == LiveViewMode.Interactive ? "i" : "v";

    private byte[] Mac(string sessionId, string mode, long expiry) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"ufb-live\n{sessionId}\n{mode}\n{expiry.ToString(CultureInfo.InvariantCulture)}"));
}
