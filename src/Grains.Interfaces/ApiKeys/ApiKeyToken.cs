using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace UFBrowsers.ApiKeys;

/// <summary>
/// The API key format: <c>ufb_{keyId}_{secret}</c>. The key id finds the key's grain; only a hash of
/// the secret is ever stored.
/// </summary>
public static class ApiKeyToken
{
    private const string Prefix = "ufb_";
    private const int KeyIdLength = 16;

    public static (string KeyId, string Secret) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdLength / 2));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (keyId, secret);
    }

    public static string Format(string keyId, string secret) => $"{Prefix}{keyId}_{secret}";

    public static bool TryParse(string? token, [NotNullWhen(true)] out string? keyId, [NotNullWhen(true)] out string? secret)
    {
        keyId = null;
        secret = null;
        if (token is null || token.Length < Prefix.Length + KeyIdLength + 2 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var id = token.Substring(Prefix.Length, KeyIdLength);
        if (token[Prefix.Length + KeyIdLength] != '_' || id.AsSpan().ContainsAnyExcept("0123456789abcdef"))
        {
            return false;
        }

        keyId = id;
        secret = token[(Prefix.Length + KeyIdLength + 1)..];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
