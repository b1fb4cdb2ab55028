namespace UFBrowsers.Silo.Profiles;

/// <summary>Configuration section <c>UFBrowsers:Profiles</c>: how saved profiles are encrypted and read out of browsers.</summary>
/// <remarks>
/// Keys are given by id, each 32 random bytes in base64 (AES-256), e.g. <c>UFBrowsers__Profiles__EncryptionKeys__k2=…</c>.
/// New states are encrypted with <see cref="ActiveEncryptionKeyId"/> (or the only key); every stored state names its key's id,
/// so older keys keep decrypting what they encrypted until each profile's next save re-encrypts it with the active one.
/// </remarks>
public sealed class ProfileOptions
{
    public const string Section = "UFBrowsers:Profiles";

    public Dictionary<string, string> EncryptionKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key new saves use; may be empty when exactly one key is configured.</summary>
    public string? ActiveEncryptionKeyId { get; set; }

    /// <summary>Most origins whose localStorage a save reads (the state it started from, open pages, cookies' sites).</summary>
    public int MaxOrigins { get; set; } = 50;

    /// <summary>How long one origin's localStorage may take to read or write before it is skipped.</summary>
    public TimeSpan OriginTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
