using Microsoft.Extensions.Logging;
using UFBrowsers.Grains.Sessions;
using UFBrowsers.Profiles;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Profiles;

/// <summary>
/// Puts a session's profile into its browser before its start is answered, and with <c>persist</c> saves the browser's state
/// back at its end (any end the hook sees: a browser that died without a word cannot be read).
/// </summary>
public sealed class ProfileSessionHook(IGrainFactory grains, IBrowserProfileTransfer transfer, ILogger<ProfileSessionHook> logger) : ISessionBrowserHook
{
    public async Task OnStartingAsync(SessionBrowser browser, CancellationToken cancellationToken)
    {
        if (browser.Request.Profile is not { } use)
        {
            return;
        }

        var opening = await grains.For<IProfileGrain>(use.ProfileId)
            .Open(browser.Request.CustomerId, browser.SessionId, use.Persist)
            .WaitAsync(cancellationToken);
        switch (opening.Outcome)
        {
            case ProfileOpenOutcome.NotFound:
                throw new SessionStartRefusedException(SessionStartOutcome.ProfileNotFound, $"No profile '{use.ProfileId}'.");
            case ProfileOpenOutcome.InUse:
                throw new SessionStartRefusedException(SessionStartOutcome.ProfileInUse,
                    $"Profile '{use.ProfileId}' is in use by another session that persists into it; end that session, or start this one with persist: false.");
            case ProfileOpenOutcome.NotConfigured:
                throw new SessionStartRefusedException(SessionStartOutcome.ProfilesNotConfigured, "Profiles are not configured on this installation.");
        }

        var state = ProfileState.Deserialize(opening.State);
        if (!state.IsEmpty)
        {
            await transfer.RestoreAsync(browser.Pod, state, cancellationToken);
        }

        logger.LogInformation("Session {SessionId}: profile {ProfileId} version {Version} restored ({Cookies} cookies, {Origins} origins){Persist}",
            browser.SessionId, use.ProfileId, opening.Version, state.Cookies.Count, state.Origins.Count, use.Persist ? "; saved back at the end" : "");
    }

    public async Task OnEndingAsync(SessionBrowser browser, EndReason reason, CancellationToken cancellationToken)
    {
        if (browser.Request.Profile is not { Persist: true } use)
        {
            return;
        }

        var profile = grains.For<IProfileGrain>(use.ProfileId);
        byte[] state;
        try
        {
            // The origins of the state it started from are read again, whether or not the session visited them.
            var previous = ProfileState.Deserialize(await profile.ReadForSave(browser.SessionId).WaitAsync(cancellationToken));
            var captured = await transfer.CaptureAsync(browser.Pod, previous, cancellationToken);
            state = captured.Serialize();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId}: the browser's state could not be read; profile {ProfileId} keeps its previous version", browser.SessionId, use.ProfileId);
            await ReleaseQuietly(profile, browser.SessionId);
            return;
        }

        // A store that fails here (the database down) throws: the session ends and bills regardless, and the lease, still
        // recorded, goes to the next session once this one is seen ended.
        var outcome = await profile.Save(browser.SessionId, state).WaitAsync(cancellationToken);
        logger.LogInformation("Session {SessionId} ended ({Reason}): profile {ProfileId} save {Outcome} ({Size} bytes)",
            browser.SessionId, reason, use.ProfileId, outcome, state.Length);
    }

    private async Task ReleaseQuietly(IProfileGrain profile, string sessionId)
    {
        try
        {
            await profile.Release(sessionId, ProfileSaveOutcome.Failed);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} could not give its profile's lease back; the next session takes it once this one is seen ended", sessionId);
        }
    }
}
