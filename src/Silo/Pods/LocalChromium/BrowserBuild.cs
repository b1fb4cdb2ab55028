namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>Which Chromium a node pool's browsers are (README "Browser builds" says what each can and cannot do).</summary>
public enum BrowserBuild
{
    /// <summary>
    /// Debian's <c>chromium-headless-shell</c>: the old headless shell (Puppeteer's <c>headless: 'shell'</c>, the chromedp
    /// image), a browser built for automation without the desktop browser's UI layer. Starts in about half the time, opens a
    /// page faster and needs about half the memory of <see cref="Chromium"/>. The default.
    /// </summary>
    HeadlessShell,

    /// <summary>Full Chromium in its headless mode (<c>chromium --headless</c>): the desktop browser without a window.</summary>
    Chromium,
}
