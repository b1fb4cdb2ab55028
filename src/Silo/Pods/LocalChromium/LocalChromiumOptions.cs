namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>Configuration section <c>UFBrowsers:LocalChromium</c>: how browser pods are run as Chromium processes on this machine.</summary>
public sealed class LocalChromiumOptions
{
    public const string Section = "UFBrowsers:LocalChromium";

    private static readonly string[] WellKnownExecutables = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    /// <summary>The Chromium binary; defaults to <c>CHROMIUM_PATH</c>, else the first of the usual install locations that exists.</summary>
    public string? ExecutablePath { get; set; } = DefaultExecutablePath();

    /// <summary>
    /// Where each pod gets its own directory (profile and marker). The provider owns this directory: on start it kills
    /// and deletes whatever an earlier provider left here, so two silos on one machine must not share it.
    /// </summary>
    public string PodsDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "ufbrowsers-pods");

    /// <summary>How long a browser may take until its DevTools endpoint answers.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Added after the provider's own command-line switches (for example <c>--proxy-server=...</c>).</summary>
    public List<string> ExtraArguments { get; set; } = [];

    private static string? DefaultExecutablePath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        return WellKnownExecutables.FirstOrDefault(File.Exists);
    }
}
