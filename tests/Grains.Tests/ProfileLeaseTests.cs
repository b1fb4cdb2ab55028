using UFBrowsers.Customers;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Profiles;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport.Faults;

namespace UFBrowsers.Grains.Tests;

/// <summary>
/// A profile's lease and version through real session grains (fake pods and browsers): one writer at a time, a lease that
/// never outlives its session however the session ends, and saves that never lose the state they should keep.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ProfileLeaseTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_persisting_session_saves_its_browsers_state_at_the_end_and_the_next_session_starts_with_it()
    {
        var (customer, profile) = await NewProfile();
        var first = await Start(customer, profile, persist: true);
        Assert.Equal(SessionStartOutcome.Started, first.Result.Outcome);
        Assert.True(fixture.Profiles.Restored.TryGetValue(first.Pod, out var given) is false || given.IsEmpty);
        fixture.Profiles.Current[first.Pod] = FakeBrowserProfiles.LoggedIn("alice");

        await Session(first.Id).End(EndReason.Client);

        var saved = (await Grains.GetGrain<IProfileGrain>(profile).Get(customer))!;
        Assert.Equal((1L, (string?)null, ProfileSaveOutcome.Saved), (saved.Version, saved.PersistingSessionId, saved.LastSave!.Outcome));
        var second = await Start(customer, profile, persist: false);
        Assert.Equal(FakeBrowserProfiles.LoggedIn("alice"), fixture.Profiles.Restored[second.Pod], ProfileStateComparer.Instance);
        await Session(second.Id).End(EndReason.Client);
        Assert.Equal(1L, (await Grains.GetGrain<IProfileGrain>(profile).Get(customer))!.Version);
    }

    [Fact]
    public async Task A_second_persisting_session_is_refused_with_its_hold_refunded_while_readers_start()
    {
        var (customer, profile) = await NewProfile();
        var writer = await Start(customer, profile, persist: true);

        var second = await Start(customer, profile, persist: true);
        var reader = await Start(customer, profile, persist: false);

        Assert.Equal(SessionStartOutcome.ProfileInUse, second.Result.Outcome);
        Assert.Null(await Session(second.Id).Get());
        Assert.DoesNotContain(second.Pod, fixture.PodProvider.Live.Keys);
        Assert.Equal(SessionStartOutcome.Started, reader.Result.Outcome);
        Assert.Equal(8, (await Customer(customer).GetAccount())!.Balance);
        Assert.Equal(ProfileDeletion.InUse, await Grains.GetGrain<IProfileGrain>(profile).Delete(customer));

        await Session(writer.Id).End(EndReason.Client);
        var third = await Start(customer, profile, persist: true);
        Assert.Equal(SessionStartOutcome.Started, third.Result.Outcome);
    }

    [Fact]
    public async Task The_lease_of_a_session_whose_browser_vanished_goes_to_the_next_session_and_nothing_is_saved()
    {
        var (customer, profile) = await NewProfile();
        var first = await Start(customer, profile, persist: true);
        fixture.Profiles.Current[first.Pod] = FakeBrowserProfiles.LoggedIn("lost");

        // The browser dies without a word (its host went): the session ends as pod_lost at its next check, no end hook runs.
        fixture.PodProvider.Lose(first.Pod);
        fixture.Time.Advance(TimeSpan.FromSeconds(31));
        await Session(first.Id).Meter();
        Assert.Equal(EndReason.PodLost, (await Session(first.Id).Get())!.EndReason);
        var recorded = await fixture.ProfileRows.GetAsync(profile);
        Assert.Equal(first.Id, recorded!.LeaseSessionId);

        var next = await Start(customer, profile, persist: true);

        Assert.Equal(SessionStartOutcome.Started, next.Result.Outcome);
        Assert.Equal(next.Id, (await Grains.GetGrain<IProfileGrain>(profile).Get(customer))!.PersistingSessionId);
        Assert.Equal(0L, (await fixture.ProfileRows.GetAsync(profile))!.Version);
        await Session(next.Id).End(EndReason.Client);
    }

    [Fact]
    public async Task The_lease_of_a_start_undone_after_it_was_taken_goes_to_the_next_session()
    {
        var (customer, profile) = await NewProfile();
        var id = SessionIds.New();
        // The start takes the lease, then cannot save that it started: it is undone (hold refunded, pod released).
        fixture.Faults.FailBefore(FaultSteps.GrainStateWrite, id);
        await Assert.ThrowsAnyAsync<Exception>(() => Session(id).Start(Request(customer, profile, persist: true)));
        Assert.Equal(id, (await fixture.ProfileRows.GetAsync(profile))!.LeaseSessionId);
        Assert.Null(await Session(id).Get());

        var next = await Start(customer, profile, persist: true);

        Assert.Equal(SessionStartOutcome.Started, next.Result.Outcome);
        Assert.Equal(next.Id, (await fixture.ProfileRows.GetAsync(profile))!.LeaseSessionId);
        await Session(next.Id).End(EndReason.Client);
    }

    [Fact]
    public async Task A_state_over_the_plans_size_is_not_saved_the_previous_version_stays_and_the_session_still_bills()
    {
        var (customer, profile) = await NewProfile(plan: "starter");
        var first = await Start(customer, profile, persist: true);
        fixture.Profiles.Current[first.Pod] = FakeBrowserProfiles.LoggedIn("small");
        await Session(first.Id).End(EndReason.Client);

        var second = await Start(customer, profile, persist: true);
        fixture.Profiles.Current[second.Pod] = FakeBrowserProfiles.LoggedIn("huge", padding: 5000);
        var ended = await Session(second.Id).End(EndReason.Client);

        Assert.Equal((SessionStatus.Ended, 1L), (ended!.Status, ended.CreditsCharged));
        var kept = (await Grains.GetGrain<IProfileGrain>(profile).Get(customer))!;
        Assert.Equal(1L, kept.Version);
        Assert.Equal((second.Id, ProfileSaveOutcome.TooLarge), (kept.LastSave!.SessionId, kept.LastSave.Outcome));
        Assert.True(kept.LastSave.SizeBytes > 4096);
        Assert.Null(kept.PersistingSessionId);
        var third = await Start(customer, profile, persist: false);
        Assert.Equal(FakeBrowserProfiles.LoggedIn("small"), fixture.Profiles.Restored[third.Pod], ProfileStateComparer.Instance);
        Assert.Equal(7, (await Customer(customer).GetAccount())!.Balance);
    }

    [Fact]
    public async Task A_browser_that_cannot_be_read_at_the_end_keeps_the_previous_version_and_gives_the_lease_back()
    {
        var (customer, profile) = await NewProfile();
        var first = await Start(customer, profile, persist: true);
        fixture.Profiles.Unreadable[first.Pod] = true;

        var ended = await Session(first.Id).End(EndReason.Client);

        Assert.Equal(SessionStatus.Ended, ended!.Status);
        var kept = (await Grains.GetGrain<IProfileGrain>(profile).Get(customer))!;
        Assert.Equal((0L, (string?)null, ProfileSaveOutcome.Failed), (kept.Version, kept.PersistingSessionId, kept.LastSave!.Outcome));
        Assert.Null((await fixture.ProfileRows.GetAsync(profile))!.LeaseSessionId);
    }

    [Fact]
    public async Task The_state_a_save_started_from_is_handed_to_the_capture_so_origins_not_visited_are_kept()
    {
        var (customer, profile) = await NewProfile();
        var first = await Start(customer, profile, persist: true);
        fixture.Profiles.Current[first.Pod] = FakeBrowserProfiles.LoggedIn("alice");
        await Session(first.Id).End(EndReason.Client);

        var second = await Start(customer, profile, persist: true);
        await Session(second.Id).End(EndReason.Client);

        Assert.Equal(FakeBrowserProfiles.LoggedIn("alice"), fixture.Profiles.CapturedFrom[second.Pod], ProfileStateComparer.Instance);
    }

    [Fact]
    public async Task Another_customers_profile_is_not_found_for_reading_starting_or_deleting_and_nothing_is_charged()
    {
        var (owner, profile) = await NewProfile();
        var other = (await TestCustomers.Active(Grains, credits: 10)).GetPrimaryKeyString();

        Assert.Null(await Grains.GetGrain<IProfileGrain>(profile).Get(other));
        Assert.Equal(ProfileDeletion.NotFound, await Grains.GetGrain<IProfileGrain>(profile).Delete(other));
        Assert.Empty(await Grains.GetGrain<ICustomerProfilesGrain>(other).List());
        foreach (var persist in new[] { true, false })
        {
            var refused = await Start(other, profile, persist);
            Assert.Equal(SessionStartOutcome.ProfileNotFound, refused.Result.Outcome);
            Assert.False(fixture.Profiles.Restored.ContainsKey(refused.Pod));
        }

        Assert.Equal((10L, 0), ((await Customer(other).GetAccount())!.Balance, (await Customer(other).GetAccount())!.SessionsInUse));
        Assert.Null((await fixture.ProfileRows.GetAsync(profile))!.LeaseSessionId);
        Assert.NotNull(await Grains.GetGrain<IProfileGrain>(profile).Get(owner));
    }

    [Fact]
    public async Task A_plan_keeps_its_number_of_profiles()
    {
        var customer = (await TestCustomers.Active(Grains, credits: 10, plan: "starter")).GetPrimaryKeyString();
        var profiles = Grains.GetGrain<ICustomerProfilesGrain>(customer);

        var created = new[] { await profiles.Create("one"), await profiles.Create("two"), await profiles.Create("three") };

        Assert.Equal([ProfileCreateOutcome.Created, ProfileCreateOutcome.Created, ProfileCreateOutcome.LimitReached], created.Select(c => c.Outcome));
        Assert.Equal(2, created[2].Limit);
        Assert.Equal(["one", "two"], (await profiles.List()).Select(p => p.Name));
        Assert.Equal(ProfileDeletion.Deleted, await Grains.GetGrain<IProfileGrain>(created[0].Profile!.Id).Delete(customer));
        Assert.Equal(ProfileCreateOutcome.Created, (await profiles.Create("three")).Outcome);
    }

    [Fact]
    public async Task A_lease_the_store_could_not_record_refuses_the_start_and_refunds_its_hold()
    {
        var (customer, profile) = await NewProfile();
        fixture.Faults.FailBefore(FaultSteps.ProfileLease, profile);

        var refused = await Start(customer, profile, persist: true);

        Assert.Equal(SessionStartOutcome.NoBrowserAvailable, refused.Result.Outcome);
        Assert.Equal(10, (await Customer(customer).GetAccount())!.Balance);
        Assert.Null((await fixture.ProfileRows.GetAsync(profile))!.LeaseSessionId);
        Assert.Equal(SessionStartOutcome.Started, (await Start(customer, profile, persist: true)).Result.Outcome);
    }

    private async Task<(string Customer, string Profile)> NewProfile(string plan = "professional")
    {
        var customer = (await TestCustomers.Active(Grains, credits: 10, plan: plan)).GetPrimaryKeyString();
        var created = await Grains.GetGrain<ICustomerProfilesGrain>(customer).Create("test profile");
        Assert.Equal(ProfileCreateOutcome.Created, created.Outcome);
        return (customer, created.Profile!.Id);
    }

    private async Task<Started> Start(string customer, string profile, bool persist)
    {
        var id = SessionIds.New();
        var result = await Session(id).Start(Request(customer, profile, persist));
        var pod = Assert.Single(fixture.PodProvider.Assignments, a => a.Value.SessionId == id).Key;
        return new Started(id, result, pod);
    }

    private static SessionRequest Request(string customer, string profile, bool persist) => new(customer, Profile: new ProfileUse(profile, persist));

    private ISessionGrain Session(string id) => Grains.GetGrain<ISessionGrain>(id);

    private ICustomerGrain Customer(string id) => Grains.GetGrain<ICustomerGrain>(id);

    private sealed record Started(string Id, SessionStartResult Result, string Pod);
}
