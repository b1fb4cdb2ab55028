using System.Collections.Concurrent;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// One fake pod provider per in-process silo, by silo name (the test host builds silos itself, so they find theirs
/// here). A killed silo's provider is dropped: its browsers die with the process, as local Chromium's do.
/// </summary>
internal static class SiloPods
{
    private static readonly ConcurrentDictionary<string, FakePodProvider> s_providers = new(StringComparer.Ordinal);

    public static FakePodProvider For(string siloName) => s_providers.GetOrAdd(siloName, _ => new FakePodProvider());

    public static void Drop(string siloName) => s_providers.TryRemove(siloName, out _);

    public static IReadOnlyList<FakePodProvider> Live => [.. s_providers.Values];
}
