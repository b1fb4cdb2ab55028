using UFBrowsers.Gateways;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Tests;

/// <summary>
/// Connections belong to a gateway process. Here the test cluster's client plays the gateway, as the API does when it runs
/// as a separate Orleans client: it renews its lease, registers connections, and then stops renewing, as a dead process does.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GatewayLeaseTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task The_connections_of_a_gateway_that_stops_renewing_are_dropped_and_the_idle_clock_runs_from_its_last_renewal()
    {
        var (session, view, gateway) = await StartConnected(idleSeconds: 60);
        fixture.Time.Advance(TimeSpan.FromSeconds(20));
        await gateway.Renew(TimeSpan.FromSeconds(30));

        // The gateway dies: its lease ends 30 s after its last renewal.
        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        await session.Meter();

        var afterDeath = (await session.Get())!;
        Assert.Equal((SessionStatus.Active, 0), (afterDeath.Status, afterDeath.ConnectedClients));
        var disconnected = (await session.GetEvents())!.Events[^1];
        Assert.Equal((SessionEventType.Disconnected, view.CreatedAt.AddSeconds(20)), (disconnected.Type, disconnected.At));

        fixture.Time.Advance(TimeSpan.FromSeconds(25));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.IdleTimeout), (ended.Status, ended.EndReason));
        Assert.Equal(view.CreatedAt.AddSeconds(20 + 60), ended.EndedAt);
        Assert.Equal(2, ended.CreditsCharged);
    }

    [Fact]
    public async Task The_connections_of_a_gateway_that_keeps_renewing_stay_however_long()
    {
        var (session, _, gateway) = await StartConnected(idleSeconds: 60);
        for (var i = 0; i < 15; i++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(20));
            await gateway.Renew(TimeSpan.FromSeconds(30));
            await session.Meter();
        }

        var view = (await session.Get())!;
        Assert.Equal((SessionStatus.Active, 1, 6L), (view.Status, view.ConnectedClients, view.CreditsCharged));
    }

    private async Task<(ISessionGrain Session, SessionView View, IGatewayLeaseGrain Gateway)> StartConnected(int idleSeconds)
    {
        var customer = await TestCustomers.Active(Grains, credits: 100);
        var gateway = Grains.GetGrain<IGatewayLeaseGrain>("gw_" + Guid.NewGuid().ToString("N"));
        await gateway.Renew(TimeSpan.FromSeconds(30));
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var started = await session.Start(new SessionRequest(customer.GetPrimaryKeyString(), IdleTimeoutSeconds: idleSeconds));
        var observer = fixture.Cluster.Client.CreateObjectReference<ISessionObserver>(new NoObserver());
        var connection = await session.Connect("con_" + Guid.NewGuid().ToString("N"), gateway.GetPrimaryKeyString(), observer);
        Assert.True(connection.Accepted);
        return (session, started.Session!, gateway);
    }

    private sealed class NoObserver : ISessionObserver
    {
        public Task SessionEnded(string sessionId, EndReason reason) => Task.CompletedTask;
    }
}
