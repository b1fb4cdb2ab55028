namespace UFBrowsers.Profiles;

/// <summary>
/// One saved browser profile (key: profile id), owned by one customer. It owns the profile's lease (at most one running
/// session persists into it; any number may read it) and its version (a save never overwrites a newer one).
/// </summary>
[Alias("ufb.IProfileGrain")]
public interface IProfileGrain : IGrainWithStringKey
{
    /// <summary>The profile, or null when it does not exist or is another customer's.</summary>
    [Alias("Get")]
    Task<ProfileView?> Get(string customerId);

    /// <summary>
    /// What <see cref="Open"/> would answer now, changing nothing: asked before a session takes a pod, so that an unknown
    /// profile or a second writer is refused before anything is held (<see cref="Open"/> still decides, at the start).
    /// </summary>
    [Alias("CheckOpen")]
    Task<ProfileOpenCheck> CheckOpen(string customerId, string sessionId, bool persist);

    /// <summary>
    /// Opens the profile for a starting session: its saved state, and with <paramref name="persist"/> the lease, which a
    /// session that ended or never started no longer holds (it is taken from it).
    /// </summary>
    [Alias("Open")]
    Task<ProfileOpening> Open(string customerId, string sessionId, bool persist);

    /// <summary>The saved state, for the session holding the lease (to save back what it did not visit); null otherwise.</summary>
    [Alias("ReadForSave")]
    Task<byte[]?> ReadForSave(string sessionId);

    /// <summary>Saves the state of the session holding the lease and releases the lease, whatever the outcome.</summary>
    [Alias("Save")]
    Task<ProfileSaveOutcome> Save(string sessionId, byte[] state);

    /// <summary>Releases the lease of <paramref name="sessionId"/> without saving, recording why when <paramref name="failure"/> is set.</summary>
    [Alias("Release")]
    Task Release(string sessionId, ProfileSaveOutcome? failure);

    [Alias("Delete")]
    Task<ProfileDeletion> Delete(string customerId);
}
