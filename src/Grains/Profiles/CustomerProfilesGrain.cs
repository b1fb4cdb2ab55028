using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Profiles;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Profiles;

/// <summary>
/// A customer's profiles. Creations go through this one grain per customer, one at a time, so the plan's count limit holds
/// (the store checks the count in the same statement that inserts).
/// </summary>
public sealed class CustomerProfilesGrain(
    IProfileStore store,
    PlanCatalog plans,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<CustomerProfilesGrain> logger) : Grain, ICustomerProfilesGrain
{
    private string CustomerId => this.GetPrimaryKeyString();

    public async Task<ProfileCreation> Create(string name)
    {
        if (!store.CanStoreState)
        {
            return new ProfileCreation(ProfileCreateOutcome.NotConfigured, null, 0);
        }

        var account = await GrainFactory.For<ICustomerGrain>(CustomerId).GetAccount();
        if (account is null)
        {
            return new ProfileCreation(ProfileCreateOutcome.UnknownCustomer, null, 0);
        }

        var limit = plans.StorageLimits(account.Plan.Name).MaxProfiles;
        var profile = new ProfileRecord(ProfileIds.New(), CustomerId, name, clock.GetUtcNow());
        if (!await store.CreateAsync(profile, limit))
        {
            return new ProfileCreation(ProfileCreateOutcome.LimitReached, null, limit);
        }

        logger.LogInformation("Profile {ProfileId} created for {CustomerId}", profile.ProfileId, CustomerId);
        return new ProfileCreation(ProfileCreateOutcome.Created, ProfileGrain.View(profile, null), limit);
    }

    public async Task<IReadOnlyList<ProfileView>> List()
    {
        var views = new List<ProfileView>();
        foreach (var profile in await store.ListAsync(CustomerId))
        {
            // A recorded lease may be a dead session's (see ProfileGrain): only a running holder is shown.
            var holder = profile.LeaseSessionId is { } session
                         && (await GrainFactory.For<ISessionGrain>(session).Get())?.Status == SessionStatus.Active
                ? session
                : null;
            views.Add(ProfileGrain.View(profile, holder));
        }

        return views;
    }
}
