using UFBrowsers.Customers;
using UFBrowsers.Grains.Sessions;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SessionBrowserHookTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private ScriptedBrowserHook Hook => fixture.BrowserHook;

    [Fact]
    public async Task The_hook_sees_the_new_pod_before_the_start_is_answered_and_the_live_pod_at_the_end()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var id = SessionIds.New();
        var session = Grains.GetGrain<ISessionGrain>(id);

        var started = await session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        var pod = (await session.GetPod())!;
        await session.End(EndReason.Client);

        Assert.Equal(SessionStartOutcome.Started, started.Outcome);
        Assert.Equal(
            [new ScriptedBrowserHook.Call("start", id, pod.PodId, null, true), new ScriptedBrowserHook.Call("end", id, pod.PodId, EndReason.Client, true)],
            Hook.Of(id));
        Assert.DoesNotContain(pod.PodId, fixture.PodProvider.Live.Keys);
    }

    [Fact]
    public async Task A_hook_that_fails_at_start_refunds_the_hold_releases_the_pod_and_answers_no_browser()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var id = SessionIds.New();
        Hook.FailStart[id] = new InvalidOperationException("the browser did not answer");

        var result = await Grains.GetGrain<ISessionGrain>(id).Start(new SessionRequest(customer.GetPrimaryKeyString()));

        Assert.Equal(SessionStartOutcome.NoBrowserAvailable, result.Outcome);
        Assert.Equal(10, result.Balance);
        var podId = Assert.Single(Hook.Of(id)).PodId;
        Assert.DoesNotContain(podId, fixture.PodProvider.Live.Keys);
        var account = (await customer.GetAccount())!;
        Assert.Equal((10L, 0), (account.Balance, account.SessionsInUse));
        Assert.Equal(0, (await customer.Ledger()).Sum(e => e.Amount) - 10);
        Assert.Null(await Grains.GetGrain<ISessionGrain>(id).Get());
    }

    [Fact]
    public async Task A_hook_that_refuses_the_start_answers_its_own_outcome_and_charges_nothing()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var id = SessionIds.New();
        Hook.FailStart[id] = new SessionStartRefusedException(SessionStartOutcome.IdempotencyConflict, "refused for a reason the customer can act on");

        var result = await Grains.GetGrain<ISessionGrain>(id).Start(new SessionRequest(customer.GetPrimaryKeyString()));

        Assert.Equal((SessionStartOutcome.IdempotencyConflict, "refused for a reason the customer can act on"), (result.Outcome, result.Detail));
        Assert.Equal((10L, 0), ((await customer.GetAccount())!.Balance, (await customer.GetAccount())!.SessionsInUse));
    }

    [Fact]
    public async Task A_hook_that_fails_at_the_end_never_stops_the_end_or_its_bill()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var id = SessionIds.New();
        Hook.FailEnd[id] = new TimeoutException("the profile could not be saved");
        var session = Grains.GetGrain<ISessionGrain>(id);
        await session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        var pod = (await session.GetPod())!;

        var ended = await session.End(EndReason.Client);

        Assert.Equal((SessionStatus.Ended, 1L), (ended!.Status, ended.CreditsCharged));
        Assert.DoesNotContain(pod.PodId, fixture.PodProvider.Live.Keys);
        Assert.Equal(9, (await customer.GetAccount())!.Balance);
    }

    [Fact]
    public async Task A_pod_known_gone_is_not_handed_to_the_hook_at_the_end()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var id = SessionIds.New();
        var session = Grains.GetGrain<ISessionGrain>(id);
        await session.Start(new SessionRequest(customer.GetPrimaryKeyString()));

        await session.End(EndReason.PodFailed);

        Assert.Equal(["start"], Hook.Of(id).Select(call => call.Phase));
    }
}
