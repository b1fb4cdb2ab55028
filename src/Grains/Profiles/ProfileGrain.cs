using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Profiles;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Profiles;

/// <summary>
/// One saved profile. The store's row is the truth (every change a compare-and-set); this grain decides who may change it.
/// </summary>
/// <remarks>
/// <para>
/// <b>The lease is tied to its session's life.</b> A persisting session takes the lease when it starts and gives it back when
/// it saves at its end. A session that dies without an end hook (<c>pod_lost</c>, <c>pod_failed</c>), or whose start was
/// undone by a crash, never gives it back; so a lease is not trusted as recorded: before refusing another session, the
/// holder is asked (<see cref="ISessionGrain.Get"/>), and a holder that ended or never started loses it. No timer, no expiry:
/// nothing leaks, and a live holder is never robbed.
/// </para>
/// <para>
/// <b>Reentrant</b>, because asking the holder may wait for it: a holder in the middle of its start or end answers only
/// when that turn is over, and that turn may itself be calling this grain (to open or save the profile). Every decision is
/// still a compare-and-set in the store, so interleaved calls cannot both win.
/// </para>
/// </remarks>
[Reentrant]
public sealed class ProfileGrain(
    IProfileStore store,
    PlanCatalog plans,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<ProfileGrain> logger) : Grain, IProfileGrain
{
    private const int LeaseAttempts = 3;

    private string ProfileId => this.GetPrimaryKeyString();

    public async Task<ProfileView?> Get(string customerId)
    {
        var profile = await Owned(customerId);
        return profile is null ? null : View(profile, await LiveHolder(profile));
    }

    public async Task<ProfileOpenCheck> CheckOpen(string customerId, string sessionId, bool persist)
    {
        if (!store.CanStoreState)
        {
            return new ProfileOpenCheck(ProfileOpenOutcome.NotConfigured);
        }

        var profile = await Owned(customerId);
        if (profile is null)
        {
            return new ProfileOpenCheck(ProfileOpenOutcome.NotFound);
        }

        // A replay of the holder's own start (same idempotency key) is not a second writer.
        return persist && profile.LeaseSessionId is { } holder && holder != sessionId && await HolderIsLive(holder)
            ? new ProfileOpenCheck(ProfileOpenOutcome.InUse, holder)
            : new ProfileOpenCheck(ProfileOpenOutcome.Opened);
    }

    public async Task<ProfileOpening> Open(string customerId, string sessionId, bool persist)
    {
        if (!store.CanStoreState)
        {
            return new ProfileOpening(ProfileOpenOutcome.NotConfigured);
        }

        var profile = await Owned(customerId);
        if (profile is null)
        {
            return new ProfileOpening(ProfileOpenOutcome.NotFound);
        }

        if (persist && !await TryLease(profile, sessionId))
        {
            return new ProfileOpening(ProfileOpenOutcome.InUse);
        }

        var stored = await store.ReadStateAsync(ProfileId);
        if (stored is null)
        {
            // Deleted between the read and now.
            return new ProfileOpening(ProfileOpenOutcome.NotFound);
        }

        return new ProfileOpening(ProfileOpenOutcome.Opened, stored.State, stored.Version);
    }

    public async Task<byte[]?> ReadForSave(string sessionId)
    {
        var profile = await store.GetAsync(ProfileId);
        return profile?.LeaseSessionId == sessionId ? (await store.ReadStateAsync(ProfileId))?.State : null;
    }

    public async Task<ProfileSaveOutcome> Save(string sessionId, byte[] state)
    {
        var profile = await store.GetAsync(ProfileId);
        if (profile is null)
        {
            return ProfileSaveOutcome.NotFound;
        }

        if (profile.LeaseSessionId != sessionId)
        {
            logger.LogWarning("Session {SessionId} tried to save profile {ProfileId} without holding its lease (held by {Holder})", sessionId, ProfileId, profile.LeaseSessionId);
            return ProfileSaveOutcome.NotLeased;
        }

        var limits = await LimitsOf(profile.CustomerId);
        var now = clock.GetUtcNow();
        if (state.LongLength > limits.MaxProfileBytes)
        {
            logger.LogInformation("Profile {ProfileId}: the state of session {SessionId} is {Size} bytes, over the plan's {Limit}; the previous state is kept",
                ProfileId, sessionId, state.LongLength, limits.MaxProfileBytes);
            await store.ReleaseAsync(ProfileId, sessionId, new ProfileLastSave(sessionId, now, ProfileSaveOutcome.TooLarge, state.LongLength));
            return ProfileSaveOutcome.TooLarge;
        }

        if (await store.SaveStateAsync(ProfileId, sessionId, state, new ProfileLastSave(sessionId, now, ProfileSaveOutcome.Saved, state.LongLength)))
        {
            return ProfileSaveOutcome.Saved;
        }

        // The lease or the version changed under this save (another activation of this grain acted meanwhile): what is
        // stored now is newer than what the session started from, and stays.
        logger.LogWarning("Profile {ProfileId}: session {SessionId} started from an older version than the stored one; its state was not saved", ProfileId, sessionId);
        await store.ReleaseAsync(ProfileId, sessionId, new ProfileLastSave(sessionId, now, ProfileSaveOutcome.Conflict, state.LongLength));
        return ProfileSaveOutcome.Conflict;
    }

    public async Task Release(string sessionId, ProfileSaveOutcome? failure) =>
        await store.ReleaseAsync(ProfileId, sessionId, failure is { } outcome ? new ProfileLastSave(sessionId, clock.GetUtcNow(), outcome, 0) : null);

    public async Task<ProfileDeletion> Delete(string customerId)
    {
        for (var attempt = 0; attempt < LeaseAttempts; attempt++)
        {
            var profile = await Owned(customerId);
            if (profile is null)
            {
                return ProfileDeletion.NotFound;
            }

            if (await LiveHolder(profile) is not null)
            {
                return ProfileDeletion.InUse;
            }

            if (await store.DeleteAsync(ProfileId, profile.LeaseSessionId))
            {
                logger.LogInformation("Profile {ProfileId} of {CustomerId} deleted", ProfileId, customerId);
                return ProfileDeletion.Deleted;
            }
        }

        return ProfileDeletion.InUse;
    }

    /// <summary>Takes the lease for the session unless a live session holds it; a dead holder's lease is taken from it.</summary>
    private async Task<bool> TryLease(ProfileRecord profile, string sessionId)
    {
        for (var attempt = 0; attempt < LeaseAttempts; attempt++)
        {
            var holder = profile.LeaseSessionId;
            if (holder == sessionId)
            {
                return true;
            }

            if (holder is not null && await HolderIsLive(holder))
            {
                return false;
            }

            if (await store.TryLeaseAsync(ProfileId, holder, sessionId, clock.GetUtcNow()))
            {
                if (holder is not null)
                {
                    logger.LogInformation("Profile {ProfileId}: session {Holder} ended or never started without giving the lease back; session {SessionId} takes it", ProfileId, holder, sessionId);
                }

                return true;
            }

            // Someone else changed the lease meanwhile: look again.
            if (await store.GetAsync(ProfileId) is not { } again)
            {
                return false;
            }

            profile = again;
        }

        return false;
    }

    private async Task<string?> LiveHolder(ProfileRecord profile) =>
        profile.LeaseSessionId is { } holder && await HolderIsLive(holder) ? holder : null;

    /// <summary>
    /// Whether the session that took the lease still runs. A session answers after any start or end it is in the middle of,
    /// so one that is starting is seen started (or failed), and one that is saving at its end is seen ended after its save.
    /// </summary>
    private async Task<bool> HolderIsLive(string sessionId)
    {
        var session = await GrainFactory.For<ISessionGrain>(sessionId).Get();
        return session?.Status == SessionStatus.Active;
    }

    private async Task<ProfileRecord?> Owned(string customerId)
    {
        var profile = await store.GetAsync(ProfileId);
        return profile is not null && string.Equals(profile.CustomerId, customerId, StringComparison.Ordinal) ? profile : null;
    }

    private async Task<PlanStorageLimits> LimitsOf(string customerId)
    {
        var account = await GrainFactory.For<ICustomerGrain>(customerId).GetAccount();
        return plans.StorageLimits(account?.Plan.Name ?? "");
    }

    internal static ProfileView View(ProfileRecord profile, string? persistingSession) =>
        new(profile.ProfileId, profile.CustomerId, profile.Name, profile.CreatedAt, profile.UpdatedAt, profile.Version, profile.SizeBytes,
            persistingSession, profile.LastSave);
}
