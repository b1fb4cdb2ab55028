using UFBrowsers.Grains.Profiles;
using UFBrowsers.Profiles;

namespace UFBrowsers.TestSupport.Faults;

/// <summary>A profile store whose lease and save writes go through a <see cref="FaultPlan"/>; reads and the rest pass straight through.</summary>
public sealed class FaultInjectingProfileStore(IProfileStore inner, FaultPlan faults, string site) : IProfileStore
{
    public bool CanStoreState => inner.CanStoreState;

    public Task<bool> CreateAsync(ProfileRecord profile, int maxProfiles) => inner.CreateAsync(profile, maxProfiles);

    public Task<ProfileRecord?> GetAsync(string profileId) => inner.GetAsync(profileId);

    public Task<IReadOnlyList<ProfileRecord>> ListAsync(string customerId) => inner.ListAsync(customerId);

    public Task<bool> TryLeaseAsync(string profileId, string? currentHolder, string sessionId, DateTimeOffset at) =>
        faults.AroundAsync(FaultSteps.ProfileLease, profileId, site, () => inner.TryLeaseAsync(profileId, currentHolder, sessionId, at));

    public Task<StoredProfileState?> ReadStateAsync(string profileId) => inner.ReadStateAsync(profileId);

    public Task<bool> SaveStateAsync(string profileId, string sessionId, byte[] state, ProfileLastSave lastSave) =>
        faults.AroundAsync(FaultSteps.ProfileSave, profileId, site, () => inner.SaveStateAsync(profileId, sessionId, state, lastSave));

    public async Task ReleaseAsync(string profileId, string sessionId, ProfileLastSave? lastSave)
    {
        await faults.BeforeAsync(FaultSteps.ProfileSave, profileId, site);
        await inner.ReleaseAsync(profileId, sessionId, lastSave);
    }

    public Task<bool> DeleteAsync(string profileId, string? currentHolder) => inner.DeleteAsync(profileId, currentHolder);
}
