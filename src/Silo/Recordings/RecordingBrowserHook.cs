using UFBrowsers.Grains.Sessions;
using UFBrowsers.Sessions;

namespace UFBrowsers.Silo.Recordings;

/// <summary>
/// Records the sessions that asked for it (<c>recording: true</c>): the recorder is attached before the start is answered,
/// so the customer's first page is recorded from its first document, and flushed before the pod is released. Sessions
/// that did not ask store nothing.
/// </summary>
public sealed class RecordingBrowserHook(SessionRecorders recorders) : ISessionBrowserHook
{
    public Task OnStartingAsync(SessionBrowser browser, CancellationToken cancellationToken) =>
        browser.Request.Recording ? recorders.StartAsync(browser, cancellationToken) : Task.CompletedTask;

    public Task OnEndingAsync(SessionBrowser browser, EndReason reason, CancellationToken cancellationToken) =>
        browser.Request.Recording ? recorders.StopAsync(browser.SessionId, cancellationToken) : Task.CompletedTask;
}
