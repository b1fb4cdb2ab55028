using Orleans.Core.Internal;
using UFBrowsers.Customers;
using UFBrowsers.Gateways;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Tests;

/// <summary>First-connect and idle timers, moved by the fake product clock: <see cref="ISessionGrain.Meter"/> is what the grain's timer and reminder call.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionTimerTests(ClusterFixture fixture)
{
    /// <summary>A gateway whose lease outlasts every test: these tests are about the timers, not about gateways dying.</summary>
    private const string Gateway = "gw-timer-tests";

    private IGrainFactory Grains => fixture.Grains;

    private async Task<(ICustomerGrain Customer, ISessionGrain Session)> Start(int? firstConnect = null, int? idle = null, int credits = 10)
    {
        var customer = await TestCustomers.Active(Grains, credits);
        await Grains.GetGrain<IGatewayLeaseGrain>(Gateway).Renew(TimeSpan.FromDays(365));
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var result = await session.Start(new SessionRequest(customer.GetPrimaryKeyString(), FirstConnectSeconds: firstConnect, IdleTimeoutSeconds: idle));
        Assert.Equal(SessionStartOutcome.Started, result.Outcome);
        return (customer, session);
    }

    private async Task Advance(ISessionGrain session, int seconds)
    {
        // Wakes the grain as its timer would: at every minute boundary and at the end.
        for (var left = seconds; left > 0; left -= Math.Min(left, 30))
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(Math.Min(left, 30)));
            await session.Meter();
        }
    }

    [Fact]
    public async Task A_session_nobody_connects_to_ends_as_no_client_at_the_deadline_and_is_charged_only_the_minimum()
    {
        var (customer, session) = await Start(firstConnect: 150);

        await Advance(session, 149);
        Assert.Equal(SessionStatus.Active, (await session.Get())!.Status);
        Assert.Equal(7, (await customer.GetAccount())!.Balance);

        await Advance(session, 1);

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.NoClient, 1L, 150_000L), (ended.Status, ended.EndReason, ended.CreditsCharged, ended.DurationMs));
        Assert.Equal(9, (await customer.GetAccount())!.Balance);
        Assert.Equal(0, (await customer.GetAccount())!.SessionsInUse);
    }

    [Fact]
    public async Task Connecting_stops_the_first_connect_deadline()
    {
        var (_, session) = await Start(firstConnect: 30, idle: 600);

        await session.Connect("c1", Gateway, new RecordingObserver().Reference(fixture));
        await Advance(session, 120);

        Assert.Equal(SessionStatus.Active, (await session.Get())!.Status);
        Assert.Null((await session.Get())!.FirstConnectDeadline);
    }

    [Fact]
    public async Task No_client_for_the_idle_timeout_ends_the_session_billed_up_to_the_deadline()
    {
        var (customer, session) = await Start(firstConnect: 30, idle: 45);
        var observer = new RecordingObserver().Reference(fixture);
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        await session.Connect("c1", Gateway, observer);
        await Advance(session, 50);
        await session.Disconnect("c1");

        await Advance(session, 44);
        Assert.Equal(SessionStatus.Active, (await session.Get())!.Status);
        fixture.Time.Advance(TimeSpan.FromSeconds(300));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.IdleTimeout), (ended.Status, ended.EndReason));
        Assert.Equal((10 + 50 + 45) * 1000L, ended.DurationMs);
        Assert.Equal(2, ended.CreditsCharged);
        Assert.Equal(8, (await customer.GetAccount())!.Balance);
    }

    [Fact]
    public async Task Reconnecting_within_the_idle_window_keeps_the_session()
    {
        var (_, session) = await Start(firstConnect: 30, idle: 45);
        var observer = new RecordingObserver().Reference(fixture);
        await session.Connect("c1", Gateway, observer);
        await session.Disconnect("c1");
        await Advance(session, 40);

        await session.Connect("c2", Gateway, observer);
        await Advance(session, 300);
        Assert.Equal(SessionStatus.Active, (await session.Get())!.Status);

        await session.Disconnect("c2");
        await Advance(session, 45);
        Assert.Equal(EndReason.IdleTimeout, (await session.Get())!.EndReason);
    }

    [Fact]
    public async Task The_idle_clock_runs_only_when_the_last_of_several_clients_leaves()
    {
        var (_, session) = await Start(firstConnect: 30, idle: 45);
        var observer = new RecordingObserver().Reference(fixture);
        await session.Connect("a", Gateway, observer);
        await session.Connect("b", Gateway, observer);
        await session.Disconnect("a");

        await Advance(session, 120);
        Assert.Equal((SessionStatus.Active, 1), ((await session.Get())!.Status, (await session.Get())!.ConnectedClients));

        await session.Disconnect("b");
        await Advance(session, 45);
        Assert.Equal(EndReason.IdleTimeout, (await session.Get())!.EndReason);
    }

    [Fact]
    public async Task Timers_survive_a_deactivation_because_their_deadlines_are_state()
    {
        var (_, session) = await Start(firstConnect: 30, idle: 45);
        await session.Connect("c1", Gateway, new RecordingObserver().Reference(fixture));
        await session.Disconnect("c1");

        await session.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        fixture.Time.Advance(TimeSpan.FromSeconds(46));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.IdleTimeout, 45_000L), (ended.Status, ended.EndReason, ended.DurationMs));
    }

    [Fact]
    public async Task Connecting_to_an_ended_session_is_refused()
    {
        var (_, session) = await Start();
        await session.End(EndReason.Client);

        var connection = await session.Connect("late", Gateway, new RecordingObserver().Reference(fixture));

        Assert.False(connection.Accepted);
        Assert.Equal((SessionStatus.Ended, EndReason.Client), (connection.Status, connection.EndReason));
        Assert.Null(await session.GetPod());
    }

    [Fact]
    public async Task Connected_clients_are_told_when_the_session_ends_and_why()
    {
        var (_, session) = await Start();
        var observer = new RecordingObserver();
        await session.Connect("c1", Gateway, observer.Reference(fixture));

        await session.End(EndReason.BalanceExhausted);

        var ended = await observer.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(((await session.Get())!.Id, EndReason.BalanceExhausted), ended);
    }

    [Fact]
    public async Task The_session_records_created_connected_disconnected_and_ended_with_billable_seconds()
    {
        var (_, session) = await Start(firstConnect: 30, idle: 600);
        var observer = new RecordingObserver().Reference(fixture);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        await session.Connect("c1", Gateway, observer);
        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        await session.Disconnect("c1");
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        await session.End(EndReason.Client);

        var log = (await session.GetEvents())!;

        Assert.Equal(
            [SessionEventType.Created, SessionEventType.Connected, SessionEventType.Disconnected, SessionEventType.Ended],
            log.Events.Select(e => e.Type));
        Assert.Equal(("c1", 1), (log.Events[1].ConnectionId, log.Events[1].Clients));
        Assert.Equal(0, log.Events[2].Clients);
        var ended = log.Events[3];
        Assert.Equal((EndReason.Client, 75L, 2L), (ended.EndReason, ended.BillableSeconds, ended.CreditsCharged));
        Assert.Equal(TimeSpan.FromSeconds(75), ended.At - log.Events[0].At);
    }

    [Fact]
    public async Task The_event_log_is_bounded_and_keeps_the_created_event()
    {
        var (_, session) = await Start(firstConnect: 30, idle: 600);
        var observer = new RecordingObserver().Reference(fixture);
        for (var i = 0; i < 150; i++)
        {
            await session.Connect($"c{i}", Gateway, observer);
            await session.Disconnect($"c{i}");
        }

        await session.End(EndReason.Client);
        var log = (await session.GetEvents())!;

        Assert.Equal(200, log.Events.Count);
        Assert.Equal(SessionEventType.Created, log.Events[0].Type);
        Assert.Equal(SessionEventType.Ended, log.Events[^1].Type);
        Assert.Equal(1 + 300 + 1 - 200, log.Dropped);
    }

    private sealed class RecordingObserver : ISessionObserver
    {
        private ISessionObserver? _reference;

        public TaskCompletionSource<(string, EndReason)> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ISessionObserver Reference(ClusterFixture fixture) =>
            _reference ??= fixture.Cluster.Client.CreateObjectReference<ISessionObserver>(this);

        public Task SessionEnded(string sessionId, EndReason reason)
        {
            Ended.TrySetResult((sessionId, reason));
            return Task.CompletedTask;
        }
    }
}
