using System.Collections.Concurrent;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// One fake pod provider per in-process silo, by silo name (the test host builds silos itself, so they find theirs
/// here). A killed silo's browsers die with it, as local Chromium's do; its provider is kept for their lifetimes.
/// </summary>
internal static class SiloPods
{
    private static readonly ConcurrentDictionary<string, FakePodProvider> s_providers = new(StringComparer.Ordinal);

    public static FakePodProvider For(string siloName) => s_providers.GetOrAdd(siloName, _ => new FakePodProvider());

    public static void Kill(string siloName)
    {
        if (s_providers.TryGetValue(siloName, out var provider))
        {
            provider.LoseAll();
        }
    }

    /// <summary>Every silo's provider, the killed ones' included (they have no live pod left).</summary>
    public static IReadOnlyList<FakePodProvider> All => [.. s_providers.Values];
}
