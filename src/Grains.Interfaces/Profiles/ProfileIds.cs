using System.Security.Cryptography;

namespace UFBrowsers.Profiles;

/// <summary>Profile ids: <c>prf_</c> and 32 lowercase hex characters, random, so an id says nothing about its owner.</summary>
public static class ProfileIds
{
    private const string Prefix = "prf_";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? id) =>
        id is not null && id.Length == Prefix.Length + 32 && id.StartsWith(Prefix, StringComparison.Ordinal)
        && !id.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef");
}
