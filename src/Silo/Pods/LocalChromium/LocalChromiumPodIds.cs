namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// The names of local pods (and of their directories and cgroups): <c>chromium-</c> and 20 hex digits (80 random bits),
/// short because the pod's DevTools socket path must fit a Unix socket address (107 bytes).
/// </summary>
internal static class LocalChromiumPodIds
{
    public const string Prefix = "chromium-";

    public const int Length = 29;

    public static string New() => Prefix + Guid.NewGuid().ToString("N")[..20];

    public static bool IsPodId(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
