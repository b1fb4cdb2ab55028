namespace UFBrowsers.Grains.Profiles;

/// <summary>
/// One cookie as CDP's <c>Storage.getCookies</c> reports it, with what <c>Storage.setCookies</c> needs to put it back as it
/// was: host-only or domain, HttpOnly, Secure, SameSite, expiry (none for a session cookie), and its partition.
/// </summary>
public sealed record BrowserCookie(
    string Name,
    string Value,
    string Domain,
    string Path,
    double Expires,
    bool HttpOnly,
    bool Secure,
    bool Session,
    string? SameSite = null,
    string? Priority = null,
    string? SourceScheme = null,
    int? SourcePort = null,
    string? PartitionTopLevelSite = null,
    bool? PartitionHasCrossSiteAncestor = null)
{
    /// <summary>A domain cookie's domain starts with a dot; without one the cookie is host-only.</summary>
    public bool HostOnly => !Domain.StartsWith('.');

    /// <summary>The host the cookie belongs to, without the leading dot of a domain cookie.</summary>
    public string Host => Domain.TrimStart('.');
}
