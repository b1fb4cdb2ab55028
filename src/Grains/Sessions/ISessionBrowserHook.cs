using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

/// <summary>
/// Work a session does with its own browser besides handing it to clients, such as putting a saved profile into it,
/// recording it, or collecting its downloads. Implemented behind this port in the silo (it talks CDP to the pod); every
/// registered hook runs, in registration order.
/// </summary>
public interface ISessionBrowserHook
{
    /// <summary>
    /// After the session's pod is acquired and before its start is saved and answered: what the customer connects to has been
    /// through this. Throwing fails the start: the hold is refunded, the pod released, and the caller gets 503
    /// <c>no_browser_available</c>, or the hook's own refusal (<see cref="SessionStartRefusedException"/>).
    /// </summary>
    Task OnStartingAsync(SessionBrowser browser, CancellationToken cancellationToken);

    /// <summary>
    /// When the session ends, after its charge is recorded and before its pod is released; not called when the pod is known
    /// gone (<see cref="EndReason.PodLost"/>, <see cref="EndReason.PodFailed"/>). A failure is logged and never stops the end.
    /// </summary>
    Task OnEndingAsync(SessionBrowser browser, EndReason reason, CancellationToken cancellationToken);
}
