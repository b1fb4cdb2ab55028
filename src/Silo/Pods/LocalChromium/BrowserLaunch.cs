namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>The browser a pod of one node pool runs: its build, its binary and the switches added for it.</summary>
internal sealed record BrowserLaunch(BrowserBuild Build, string Executable, IReadOnlyList<string> ExtraArguments)
{
    // Debian's packages; the binaries themselves, not the /usr/bin wrappers: chromium's sources /etc/chromium.d and adds the
    // desktop's switches (extensions, GPU rasterization), chromium-headless-shell's does not exec, so a signal would miss the browser.
    private static readonly string[] HeadlessShellExecutables = ["/usr/lib/chromium/chromium-headless-shell"];
    private static readonly string[] ChromiumExecutables = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    public static BrowserLaunch For(LocalChromiumOptions options, string nodePool)
    {
        var pool = options.NodePools.GetValueOrDefault(nodePool);
        var build = pool?.Build ?? options.Build;
        var executable = pool?.ExecutablePath ?? (pool?.Build is null ? options.ExecutablePath : null) ?? DefaultExecutable(build);
        return new BrowserLaunch(build, executable, [.. options.ExtraArguments, .. pool?.ExtraArguments ?? []]);
    }

    /// <summary>The first usual install location of <paramref name="build"/> that exists, else the first one (so an error can name it).</summary>
    public static string DefaultExecutable(BrowserBuild build)
    {
        var candidates = build == BrowserBuild.HeadlessShell ? HeadlessShellExecutables : ChromiumExecutables;
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }
}
