using Orleans.Core.Internal;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SessionGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private async Task<(ISessionGrain Grain, SessionStartResult Result)> Start(ICustomerGrain customer, string? nodePool = null, int? timeoutSeconds = null)
    {
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var result = await session.Start(new SessionRequest(customer.GetPrimaryKeyString(), nodePool, timeoutSeconds));
        return (session, result);
    }

    [Fact]
    public async Task Start_holds_one_credit_and_hands_out_a_pod()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);

        var (_, result) = await Start(customer);

        Assert.Equal(SessionStartOutcome.Started, result.Outcome);
        Assert.Equal(9, result.Balance);
        Assert.Equal(SessionStatus.Active, result.Session!.Status);
        Assert.StartsWith("ws://", result.Session.ConnectUrl);
        var hold = (await customer.Ledger())[0];
        Assert.Equal((LedgerEntryKind.Hold, -1L, 9L, result.Session.Id), (hold.Kind, hold.Amount, hold.BalanceAfter, hold.SessionId));
        Assert.Equal(1, (await customer.GetAccount())!.SessionsInUse);
    }

    [Fact]
    public async Task The_customers_reminder_meters_a_session_whose_activation_was_lost()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, result) = await Start(customer);
        var (other, _) = await Start(customer);
        await other.End(EndReason.Client);

        // The session's own timer goes with its activation; only the customer's reminder can wake it now.
        await session.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        await customer.Cast<IRemindable>().ReceiveReminder("sessions", default);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await customer.Ledger()).Count(e => e.SessionId == result.Session!.Id) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var charges = (await customer.Ledger()).Where(e => e.SessionId == result.Session!.Id).Select(e => (e.Kind, e.Amount)).ToList();
        Assert.Equal([(LedgerEntryKind.Charge, -1L), (LedgerEntryKind.Hold, -1L)], charges);
        Assert.Equal(2, (await session.Get())!.CreditsCharged);
        await AssertBalanceIsSumOfLedger(customer, 7);
    }

    [Fact]
    public async Task A_customer_reactivated_mid_session_still_knows_its_active_session_and_what_it_paid()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, result) = await Start(customer);
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        await session.Meter();

        await customer.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var account = await customer.GetAccount();
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        var ended = await session.End(EndReason.Client);

        Assert.Equal((1, 8L), (account!.SessionsInUse, account.Balance));
        Assert.Equal((2L, 8L), (ended!.CreditsCharged, ended.Balance));
        var listed = Assert.Single((await customer.ListSessions(SessionStatus.Ended, 10, null)).Sessions);
        Assert.Equal((result.Session!.Id, 2L), (listed.SessionId, listed.CreditsCharged));
        Assert.Equal(0, (await customer.GetAccount())!.SessionsInUse);
        await AssertBalanceIsSumOfLedger(customer, 8);
    }

    [Theory]
    [InlineData(59, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(150, 3)]
    public async Task End_charges_ceiling_of_minutes_in_total(int seconds, long expected)
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, _) = await Start(customer);

        fixture.Time.Advance(TimeSpan.FromSeconds(seconds));
        var ended = await session.End(EndReason.Client);

        Assert.Equal(expected, ended!.CreditsCharged);
        Assert.Equal(10 - expected, ended.Balance);
        Assert.Equal(seconds * 1000L, ended.DurationMs);
        await AssertBalanceIsSumOfLedger(customer, 10 - expected);
    }

    [Theory]
    [InlineData(59, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(150, 3)]
    public async Task Metering_each_minute_then_ending_charges_the_same_total(int seconds, long expected)
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, _) = await Start(customer);

        for (var elapsed = 0; elapsed < seconds; elapsed += Math.Min(30, seconds - elapsed))
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(Math.Min(30, seconds - elapsed)));
            await session.Meter();
        }

        var ended = await session.End(EndReason.Client);

        Assert.Equal(expected, ended!.CreditsCharged);
        await AssertBalanceIsSumOfLedger(customer, 10 - expected);
    }

    [Fact]
    public async Task A_prepaid_minute_that_was_not_used_is_refunded()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, _) = await Start(customer);
        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        await session.Meter();
        Assert.Equal(8, (await customer.GetAccount())!.Balance);

        var ended = await session.End(EndReason.Client);

        Assert.Equal(1, ended!.CreditsCharged);
        var entries = await customer.Ledger();
        Assert.Equal(LedgerEntryKind.Refund, entries[0].Kind);
        Assert.Equal(1, entries[0].Amount);
        await AssertBalanceIsSumOfLedger(customer, 9);
    }

    [Fact]
    public async Task Ending_as_another_customer_is_refused_and_leaves_the_session_running()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, _) = await Start(customer);

        var foreign = await session.EndOwned("someone-else", EndReason.Client);
        var afterForeign = (await session.Get())!.Status;
        var unknown = await Grains.GetGrain<ISessionGrain>(SessionIds.New()).EndOwned(customer.GetPrimaryKeyString(), EndReason.Client);
        var own = await session.EndOwned(customer.GetPrimaryKeyString(), EndReason.Client);

        Assert.Null(foreign);
        Assert.Equal(SessionStatus.Active, afterForeign);
        Assert.Null(unknown);
        Assert.Equal((SessionStatus.Ended, EndReason.Client), (own!.Status, own.EndReason));
        await AssertBalanceIsSumOfLedger(customer, 9);
    }

    [Fact]
    public async Task Ending_twice_changes_nothing()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, _) = await Start(customer);
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        var first = await session.End(EndReason.Client);
        var ledgerAfterFirst = await customer.Ledger();

        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await session.End(EndReason.Timeout);

        Assert.Equal(first, second);
        Assert.Equal(EndReason.Client, second!.EndReason);
        Assert.Equal(ledgerAfterFirst, await customer.Ledger());
        Assert.Equal(0, (await customer.GetAccount())!.SessionsInUse);
    }

    [Fact]
    public async Task Ending_releases_the_pod_which_is_destroyed_and_never_handed_out_again()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, result) = await Start(customer);
        var podId = PodIdOf(result.Session!);

        await session.End(EndReason.Client);

        Assert.Contains(podId, fixture.PodProvider.Deleted);
        Assert.False(fixture.PodProvider.Live.ContainsKey(podId));
        for (var i = 0; i < 5; i++)
        {
            var (next, nextResult) = await Start(customer);
            Assert.NotEqual(podId, PodIdOf(nextResult.Session!));
            await next.End(EndReason.Client);
        }
    }

    [Fact]
    public async Task A_failed_allocation_refunds_the_hold_and_a_retry_holds_again()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var request = new SessionRequest(customer.GetPrimaryKeyString(), "gpu");
        fixture.PodProvider.FailNextCreations("gpu", 1);

        var failed = await session.Start(request);

        Assert.Equal(SessionStartOutcome.NoBrowserAvailable, failed.Outcome);
        Assert.Equal(10, failed.Balance);
        Assert.Null(await session.Get());
        var entries = await customer.Ledger();
        Assert.Equal([LedgerEntryKind.Refund, LedgerEntryKind.Hold], entries.Take(2).Select(e => e.Kind));
        Assert.Equal(0, (await customer.GetAccount())!.SessionsInUse);
        Assert.Empty((await customer.ListSessions(null, 10, null)).Sessions);

        var retried = await session.Start(request);

        Assert.Equal(SessionStartOutcome.Started, retried.Outcome);
        Assert.Equal(9, retried.Balance);
        await AssertBalanceIsSumOfLedger(customer, 9);
    }

    [Fact]
    public async Task Starting_the_same_session_twice_replays_it_without_a_second_hold()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.FromIdempotencyKey(customer.GetPrimaryKeyString(), "key-1"));
        var request = new SessionRequest(customer.GetPrimaryKeyString(), null, 300);

        var first = await session.Start(request);
        var second = await session.Start(request);

        Assert.Equal(SessionStartOutcome.Started, first.Outcome);
        Assert.Equal(SessionStartOutcome.Replayed, second.Outcome);
        Assert.Equal(first.Session!.Id, second.Session!.Id);
        Assert.Equal(first.Session.ConnectUrl, second.Session.ConnectUrl);
        Assert.Single(await customer.Ledger(), e => e.Kind == LedgerEntryKind.Hold);
        Assert.Equal(9, (await customer.GetAccount())!.Balance);
    }

    [Fact]
    public async Task Reusing_a_session_for_a_different_request_is_a_conflict_and_changes_nothing()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        await session.Start(new SessionRequest(customer.GetPrimaryKeyString(), null, 300));

        var conflict = await session.Start(new SessionRequest(customer.GetPrimaryKeyString(), null, 600));

        Assert.Equal(SessionStartOutcome.IdempotencyConflict, conflict.Outcome);
        Assert.Equal(9, (await customer.GetAccount())!.Balance);
        Assert.Equal(2, (await customer.Ledger()).Count);
    }

    [Fact]
    public async Task The_concurrency_limit_refuses_without_charging_and_frees_when_a_session_ends()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10, plan: "starter");
        var (first, _) = await Start(customer);
        await Start(customer);

        var (_, refused) = await Start(customer);

        Assert.Equal(SessionStartOutcome.ConcurrencyLimitReached, refused.Outcome);
        Assert.Equal((2, 2), (refused.ConcurrencyLimit, refused.SessionsInUse));
        Assert.Equal(8, (await customer.GetAccount())!.Balance);
        Assert.Equal(3, (await customer.Ledger()).Count);

        await first.End(EndReason.Client);
        var (_, admitted) = await Start(customer);
        Assert.Equal(SessionStartOutcome.Started, admitted.Outcome);
    }

    [Theory]
    [InlineData(SubscriptionStatus.None, SessionStartOutcome.SubscriptionInactive)]
    [InlineData(SubscriptionStatus.PastDue, SessionStartOutcome.SubscriptionInactive)]
    [InlineData(SubscriptionStatus.Cancelled, SessionStartOutcome.SubscriptionInactive)]
    public async Task An_inactive_subscription_is_refused(SubscriptionStatus status, SessionStartOutcome expected)
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        await customer.ChangeSubscription(new SubscriptionChange(Status: status));

        var (session, result) = await Start(customer);

        Assert.Equal(expected, result.Outcome);
        Assert.Null(await session.Get());
        Assert.Single(await customer.Ledger());
    }

    [Fact]
    public async Task No_credit_is_refused()
    {
        var customer = await TestCustomers.Active(Grains, credits: 0);

        var (_, result) = await Start(customer);

        Assert.Equal(SessionStartOutcome.InsufficientCredit, result.Outcome);
        Assert.Empty(await customer.Ledger());
    }

    [Fact]
    public async Task An_unprovisioned_tenant_is_refused()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        await customer.ChangeSubscription(new SubscriptionChange(TenantProvisioned: false));

        var (_, result) = await Start(customer);

        Assert.Equal(SessionStartOutcome.TenantNotProvisioned, result.Outcome);
        Assert.Equal(10, (await customer.GetAccount())!.Balance);
    }

    [Fact]
    public async Task An_unknown_customer_or_node_pool_is_refused()
    {
        var stranger = Grains.GetGrain<ICustomerGrain>("cus_nobody_" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(SessionStartOutcome.UnknownCustomer, (await Start(stranger)).Result.Outcome);

        var customer = await TestCustomers.Active(Grains, credits: 10);
        Assert.Equal(SessionStartOutcome.UnknownNodePool, (await Start(customer, nodePool: "nope")).Result.Outcome);
        Assert.Equal(10, (await customer.GetAccount())!.Balance);
    }

    [Fact]
    public async Task The_session_ends_when_the_next_minute_cannot_be_paid()
    {
        var customer = await TestCustomers.Active(Grains, credits: 2);
        var (session, _) = await Start(customer);

        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        await session.Meter();
        Assert.Equal(SessionStatus.Active, (await session.Get())!.Status);
        Assert.Equal(0, (await customer.GetAccount())!.Balance);

        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.BalanceExhausted, 2L), (ended.Status, ended.EndReason, ended.CreditsCharged));
        await AssertBalanceIsSumOfLedger(customer, 0);
    }

    [Fact]
    public async Task A_late_end_the_balance_cannot_pay_ends_as_balance_exhausted_at_the_end_of_the_last_minute_paid()
    {
        var customer = await TestCustomers.Active(Grains, credits: 3);
        var (session, result) = await Start(customer);

        // Nothing metered for ten minutes (its silo was down; the pod, elsewhere, lived on).
        fixture.Time.Advance(TimeSpan.FromMinutes(10));
        var ended = await session.End(EndReason.Client);

        Assert.Equal((SessionStatus.Ended, EndReason.BalanceExhausted, 3L, 0L), (ended!.Status, ended.EndReason, ended.CreditsCharged, ended.Balance));
        Assert.Equal(result.Session!.CreatedAt.AddMinutes(3), ended.EndedAt);
        Assert.All(await customer.Ledger(), e => Assert.True(e.BalanceAfter >= 0));
        await AssertBalanceIsSumOfLedger(customer, 0);
    }

    [Fact]
    public async Task The_session_ends_at_its_timeout_and_is_billed_up_to_the_deadline_only()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, result) = await Start(customer, timeoutSeconds: 90);
        Assert.Equal(result.Session!.CreatedAt.AddSeconds(90), result.Session.ExpiresAt);

        fixture.Time.Advance(TimeSpan.FromSeconds(200));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.Timeout, 2L, 90_000L), (ended.Status, ended.EndReason, ended.CreditsCharged, ended.DurationMs));
        await AssertBalanceIsSumOfLedger(customer, 8);
    }

    [Fact]
    public async Task A_requested_timeout_longer_than_the_plan_allows_is_capped()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10, plan: "starter");

        var (_, result) = await Start(customer, timeoutSeconds: 3600);

        Assert.Equal(result.Session!.CreatedAt.AddMinutes(5), result.Session.ExpiresAt);
    }

    [Fact]
    public async Task A_pod_that_dies_ends_its_session_billed_only_for_time_used()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var (session, result) = await Start(customer);
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        await session.Meter();
        fixture.Time.Advance(TimeSpan.FromSeconds(9));

        await Grains.GetGrain<IPodPoolGrain>(result.Session!.NodePool).ReportPodLost(PodIdOf(result.Session));

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.PodFailed, 2L), (ended.Status, ended.EndReason, ended.CreditsCharged));
        Assert.DoesNotContain(PodIdOf(result.Session), fixture.PodProvider.Live.Keys);
        await AssertBalanceIsSumOfLedger(customer, 8);
    }

    [Fact]
    public async Task Sessions_are_listed_newest_first_by_status_with_a_cursor()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (s, r) = await Start(customer);
            ids.Add(r.Session!.Id);
            if (i == 1)
            {
                await s.End(EndReason.Client);
            }
        }

        var firstPage = await customer.ListSessions(null, 2, null);
        var secondPage = await customer.ListSessions(null, 2, firstPage.NextBefore);
        var ended = await customer.ListSessions(SessionStatus.Ended, 10, null);

        Assert.Equal([ids[2], ids[1]], firstPage.Sessions.Select(s => s.SessionId));
        Assert.Equal([ids[0]], secondPage.Sessions.Select(s => s.SessionId));
        Assert.Null(secondPage.NextBefore);
        Assert.Equal([ids[1]], ended.Sessions.Select(s => s.SessionId));
    }

    private static string PodIdOf(SessionView session) => session.ConnectUrl!.Split('/')[^1];

    private static async Task AssertBalanceIsSumOfLedger(ICustomerGrain customer, long expected)
    {
        var account = await customer.GetAccount();
        var ledger = await customer.Ledger();
        Assert.Equal(expected, account!.Balance);
        Assert.Equal(account.Balance, ledger.Sum(e => e.Amount));
    }
}
