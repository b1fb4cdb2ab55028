namespace UFBrowsers.Grains.Profiles;

/// <summary>The localStorage of one origin (<c>scheme://host[:port]</c>), its items in the browser's order.</summary>
public sealed record OriginStorage(string Origin, IReadOnlyList<KeyValuePair<string, string>> LocalStorage);
