using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Connect tokens: <c>{expiry unix seconds}.{base64url HMAC-SHA256}</c> over the session id and the expiry, so a token
/// opens exactly one session until that session's deadline and needs no storage. A CI job can be handed the
/// connect URL without the API key.
/// </summary>
public sealed class SessionTokens
{
    private const int MinimumKeyLength = 32;
    private readonly byte[] _key;
    private readonly TimeProvider _clock;

    public SessionTokens(IOptions<GatewayOptions> options, [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock, ILogger<SessionTokens> logger)
    {
        _clock = clock;
        if (string.IsNullOrEmpty(options.Value.SigningKey))
        {
            _key = RandomNumberGenerator.GetBytes(32);
            logger.LogWarning(
                "{Setting} is not set: generated a random signing key for this process. Connect URLs stop working when it restarts and are not accepted by other API replicas.",
                GatewayOptions.Section + ":SigningKey");
        }
        else if (options.Value.SigningKey.Length < MinimumKeyLength)
        {
            throw new InvalidOperationException($"{GatewayOptions.Section}:SigningKey must be at least {MinimumKeyLength} characters.");
        }
        else
        {
            _key = Encoding.UTF8.GetBytes(options.Value.SigningKey);
        }
    }

    public string Issue(string sessionId, DateTimeOffset expiresAt)
    {
        var expiry = expiresAt.ToUnixTimeSeconds() + (expiresAt.Millisecond > 0 ? 1 : 0);
        return expiry.ToString(CultureInfo.InvariantCulture) + "." + WebEncoders.Base64UrlEncode(Mac(sessionId, expiry));
    }

    public SessionTokenCheck Check(string sessionId, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return SessionTokenCheck.Missing;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return SessionTokenCheck.Invalid;
        }

        byte[] mac;
        try
        {
            mac = WebEncoders.Base64UrlDecode(token, dot + 1, token.Length - dot - 1);
        }
        catch (FormatException)
        {
            return SessionTokenCheck.Invalid;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(sessionId, expiry)))
        {
            return SessionTokenCheck.Invalid;
        }

        return _clock.GetUtcNow().ToUnixTimeSeconds() >= expiry ? SessionTokenCheck.Expired : SessionTokenCheck.Valid;
    }

    private byte[] Mac(string sessionId, long expiry) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"ufb-cdp\n{sessionId}\n{expiry.ToString(CultureInfo.InvariantCulture)}"));
}
