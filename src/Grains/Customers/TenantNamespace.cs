using System.Security.Cryptography;
using System.Text;

namespace UFBrowsers.Grains.Customers;

/// <summary>
/// The Kubernetes namespace of a tenant: <c>ufb-t-</c>, a readable part of the customer id, and a hash of the whole id.
/// The readable part alone collides (<c>acme_1</c> and <c>acme-1</c>, <c>acme_</c> and <c>acme</c> read alike); the hash
/// of the exact id keeps every customer's name its own. Always an RFC 1123 label: at most 63 characters of <c>[a-z0-9-]</c>,
/// starting and ending with a letter or digit.
/// </summary>
public static class TenantNamespace
{
    public const string Prefix = "ufb-t-";

    private const int MaxLength = 63;
    private const int HashLength = 12;
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static string For(string customerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        var hash = Hash(customerId);
        var readable = Readable(customerId, MaxLength - Prefix.Length - 1 - HashLength);
        return readable.Length == 0 ? Prefix + hash : $"{Prefix}{readable}-{hash}";
    }

    /// <summary>Lower-case letters and digits of the id, every other run of characters as one '-', trimmed to <paramref name="room"/>.</summary>
    private static string Readable(string customerId, int room)
    {
        var readable = new StringBuilder(Math.Min(customerId.Length, room));
        foreach (var c in customerId.ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                readable.Append(c);
            }
            else if (readable.Length > 0 && readable[^1] != '-')
            {
                readable.Append('-');
            }

            if (readable.Length >= room)
            {
                break;
            }
        }

        return readable.ToString(0, Math.Min(readable.Length, room)).Trim('-');
    }

    /// <summary>60 bits of SHA-256 of the exact id, in base32 (12 characters of [a-z2-7]).</summary>
    private static string Hash(string customerId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(customerId));
        var bits = BitConverter.ToUInt64(digest, 0);
        var hash = new char[HashLength];
        for (var i = 0; i < HashLength; i++)
        {
            hash[i] = Base32[(int)(bits & 31)];
            bits >>= 5;
        }

        return new string(hash);
    }
}
