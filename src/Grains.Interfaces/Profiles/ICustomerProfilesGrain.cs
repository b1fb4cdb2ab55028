namespace UFBrowsers.Profiles;

/// <summary>A customer's profiles (key: customer id): creates them within the plan's count, one at a time, and lists them.</summary>
[Alias("ufb.ICustomerProfilesGrain")]
public interface ICustomerProfilesGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<ProfileCreation> Create(string name);

    /// <summary>Oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<ProfileView>> List();
}
