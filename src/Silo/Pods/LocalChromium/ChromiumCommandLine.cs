using System.Globalization;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>The switches every pod's Chromium starts with, sandboxed or not.</summary>
internal static class ChromiumCommandLine
{
    private static readonly string[] Common =
    [
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-dev-shm-usage",
        "--mute-audio",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-breakpad",
        "--disable-crash-reporter",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--metrics-recording-only",
        "--password-store=basic",
        "--use-mock-keychain",
        "--disable-features=Translate,MediaRouter,OptimizationHints",
        // Two fewer processes to start, run and tear down per pod: the GPU service (software only here: --disable-gpu, WebGL
        // through SwiftShader) and the network service (unsandboxed in its own process anyway) run in the browser's. About
        // 16% less CPU for a browser's start, first page and exit (README, "Browser builds per node pool").
        "--in-process-gpu",
        "--enable-features=NetworkServiceInProcess2",
    ];

    /// <summary>Inside the sandbox: Chromium's own sandbox on, DevTools on the namespace's loopback at a fixed port.</summary>
    public static List<string> Sandboxed(LocalChromiumOptions options, BrowserLaunch browser) =>
    [
        .. Common,
        .. ForBuild(browser.Build),
        .. Limits(options.Limits),
        $"--remote-debugging-port={PodNetworkPolicy.DevToolsPort}",
        "--user-data-dir=" + PodDirectory.SandboxProfile,
        .. browser.ExtraArguments,
        "about:blank",
    ];

    /// <summary>Without the sandbox (opted out): as the silo's user, so Chromium's own sandbox cannot run either.</summary>
    public static List<string> Unsandboxed(LocalChromiumOptions options, BrowserLaunch browser, PodDirectory directory) =>
    [
        .. Common,
        .. ForBuild(browser.Build),
        "--no-sandbox",
        .. Limits(options.Limits),
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "--user-data-dir=" + directory.Profile,
        .. browser.ExtraArguments,
        "about:blank",
    ];

    /// <remarks>
    /// Without <c>--site-per-process</c> the headless shell keeps no spare renderer, so every new page waits for a renderer
    /// process to start (seen in its process list). With it, each site gets a process of its own, as in desktop Chrome, and a
    /// started spare renderer waits for the next page: about 10 ms off a new page, 6 MiB more per pod (PSS).
    /// </remarks>
    private static IEnumerable<string> ForBuild(BrowserBuild build) => build == BrowserBuild.HeadlessShell ? ["--site-per-process"] : [];

    private static IEnumerable<string> Limits(PodResourceLimits limits)
    {
        if (limits.JsHeapMebibytes > 0)
        {
            yield return "--js-flags=--max-old-space-size=" + limits.JsHeapMebibytes.ToString(CultureInfo.InvariantCulture);
        }

        if (limits.RendererProcessLimit > 0)
        {
            yield return "--renderer-process-limit=" + limits.RendererProcessLimit.ToString(CultureInfo.InvariantCulture);
        }
    }
}
