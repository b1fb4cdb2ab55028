using Orleans.Core.Internal;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;
using UFBrowsers.TestSupport.Faults;

namespace UFBrowsers.Grains.Tests;

/// <summary>
/// Every hold becomes a started session or is refunded, without a client retrying: the customer's reminder ticks the
/// sessions it holds credit for, and a session that never saved its start refunds. No test here calls Start twice unless
/// it says so.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AbandonedStartTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_hold_whose_session_never_saved_its_start_is_refunded_at_the_customers_next_reminder()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var sessionId = SessionIds.New();
        // What a session does first; then its silo dies before the session saves anything.
        Assert.True((await customer.AdmitSession(sessionId, 1)).IsAdmitted);
        Assert.Equal((9L, 1), await BalanceAndInUse(customer));

        await ReminderTick(customer);

        await Eventually.Until(async () => await BalanceAndInUse(customer) == (10, 0));
        Assert.Equal((10L, 0), await BalanceAndInUse(customer));
        Assert.Equal([(LedgerEntryKind.Refund, 1L, $"{sessionId}:refund:1"), (LedgerEntryKind.Hold, -1L, $"{sessionId}:hold:1")],
            (await customer.Ledger()).Where(e => e.SessionId == sessionId).Select(e => (e.Kind, e.Amount, e.IdempotencyKey)));
        Assert.Null(await Grains.GetGrain<ISessionGrain>(sessionId).Get());
        Assert.Empty((await customer.ListSessions(null, 10, null)).Sessions);
    }

    [Fact]
    public async Task A_start_whose_refund_fails_keeps_its_hold_only_until_the_customers_next_reminder()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        fixture.PodProvider.FailNextCreations("gpu", 1);
        var refund = fixture.Faults.FailBefore(FaultSteps.LedgerCancelSession, session.GetPrimaryKeyString());

        await Assert.ThrowsAnyAsync<Exception>(() => session.Start(new SessionRequest(customer.GetPrimaryKeyString(), "gpu")));
        Assert.True(refund.Reached.IsCompleted);
        Assert.Equal((9L, 1), await BalanceAndInUse(customer));

        await ReminderTick(customer);

        await Eventually.Until(async () => await BalanceAndInUse(customer) == (10, 0));
        Assert.Equal((10L, 0), await BalanceAndInUse(customer));
        await AssertBalanceIsSumOfLedger(customer);
    }

    [Fact]
    public async Task A_session_that_lost_count_of_its_attempts_holds_anew_instead_of_replaying_a_refunded_hold()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var sessionId = SessionIds.New();
        await customer.AdmitSession(sessionId, 1);
        await customer.CancelAdmission(sessionId);

        // Attempt 1 again, as a session whose state was lost after its refund would ask.
        var admission = await customer.AdmitSession(sessionId, 1);

        Assert.Equal((SessionAdmissionOutcome.Admitted, 2), (admission.Outcome, admission.Attempt));
        Assert.Equal((9L, 1), await BalanceAndInUse(customer));
        var listed = Assert.Single((await customer.ListSessions(SessionStatus.Active, 10, null)).Sessions);
        Assert.Equal(sessionId, listed.SessionId);

        // The session then starts on that hold and is billed like any other.
        var started = await Grains.GetGrain<ISessionGrain>(sessionId).Start(new SessionRequest(customer.GetPrimaryKeyString()));
        Assert.Equal(SessionStartOutcome.Started, started.Outcome);
        var ended = await Grains.GetGrain<ISessionGrain>(sessionId).End(EndReason.Client);
        Assert.Equal((1L, 9L), (ended!.CreditsCharged, ended.Balance));
        Assert.Equal(["hold:1", "refund:1", "hold:2"], (await customer.Ledger()).Where(e => e.SessionId == sessionId).Reverse()
            .Select(e => e.IdempotencyKey[(sessionId.Length + 1)..]));
        await AssertBalanceIsSumOfLedger(customer);
    }

    [Fact]
    public async Task A_start_whose_state_cannot_be_saved_is_undone_hold_refunded_and_pod_released()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        fixture.Faults.FailBefore(FaultSteps.GrainStateWrite, session.GetPrimaryKeyString());

        await Assert.ThrowsAnyAsync<Exception>(() => session.Start(new SessionRequest(customer.GetPrimaryKeyString(), "gpu")));

        Assert.Equal((10L, 0), await BalanceAndInUse(customer));
        var pod = fixture.PodProvider.Assignments.Single(a => a.Value.SessionId == session.GetPrimaryKeyString()).Key;
        Assert.DoesNotContain(pod, fixture.PodProvider.Live.Keys);
        Assert.Null(await session.Get());
        await AssertBalanceIsSumOfLedger(customer);
    }

    [Fact]
    public async Task An_end_whose_state_cannot_be_saved_still_answers_the_end_and_the_next_activation_reads_it_back()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var started = await session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        fixture.Faults.FailBefore(FaultSteps.GrainStateWrite, session.GetPrimaryKeyString());

        var ended = await session.End(EndReason.Client);

        Assert.Equal((SessionStatus.Ended, EndReason.Client, 2L), (ended!.Status, ended.EndReason, ended.CreditsCharged));
        await session.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var reread = await session.Get();
        Assert.Equal((SessionStatus.Ended, EndReason.Client, 2L, ended.EndedAt), (reread!.Status, reread.EndReason, reread.CreditsCharged, reread.EndedAt));
        Assert.Equal(ended, (await session.End(EndReason.Client))! with { Balance = ended.Balance });
        Assert.DoesNotContain(started.Session!.ConnectUrl!.Split('/')[^1], fixture.PodProvider.Live.Keys);
        Assert.Equal((8L, 0), await BalanceAndInUse(customer));
        await AssertBalanceIsSumOfLedger(customer);
    }

    [Fact]
    public async Task A_settlement_whose_answer_was_lost_is_finished_by_the_sessions_own_timer_and_never_charged_twice()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        await session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        fixture.Time.Advance(TimeSpan.FromSeconds(90));
        fixture.Faults.FailAfter(FaultSteps.LedgerCloseSession, session.GetPrimaryKeyString());

        // The settlement is written, and the caller hears a failure.
        await Assert.ThrowsAnyAsync<Exception>(() => session.End(EndReason.Client));
        Assert.Equal(SessionStatus.Active, (await session.Get())!.Status);

        // No retry: the next minute's meter finds the session settled in the ledger and finishes the end as it was recorded.
        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.Client, 2L), (ended.Status, ended.EndReason, ended.CreditsCharged));
        Assert.Equal(ended.CreatedAt.AddSeconds(90), ended.EndedAt);
        Assert.Single(await customer.Ledger(), e => e.IdempotencyKey.EndsWith(":settle", StringComparison.Ordinal));
        Assert.Equal((8L, 0), await BalanceAndInUse(customer));
        await AssertBalanceIsSumOfLedger(customer);
    }

    private static async Task ReminderTick(ICustomerGrain customer) =>
        await customer.Cast<IRemindable>().ReceiveReminder("sessions", default);

    private static async Task<(long Balance, int InUse)> BalanceAndInUse(ICustomerGrain customer)
    {
        var account = (await customer.GetAccount())!;
        return (account.Balance, account.SessionsInUse);
    }

    private static async Task AssertBalanceIsSumOfLedger(ICustomerGrain customer)
    {
        var audit = await customer.AuditLedger();
        Assert.True(audit.Agrees, audit.ToString());
    }
}
