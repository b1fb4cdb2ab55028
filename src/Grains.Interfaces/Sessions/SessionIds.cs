using System.Security.Cryptography;
using System.Text;

namespace UFBrowsers.Sessions;

/// <summary>
/// Session ids. A request with an Idempotency-Key maps to one id per customer and key, so a retry reaches
/// the same SessionGrain and is answered from its state instead of starting (and charging) anew.
/// </summary>
public static class SessionIds
{
    private const string Prefix = "ses_";

    public static string New() => Prefix + Guid.NewGuid().ToString("N");

    public static string FromIdempotencyKey(string customerId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}\n{idempotencyKey}"));
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public static bool IsWellFormed(string id) =>
        id.Length == Prefix.Length + 32 && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;
}
