using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Gateways;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Tests;

/// <summary>The API process as a gateway: it renews its own lease, and registers its open connections again after a lapse.</summary>
[Collection(ApiCollection.Name)]
public sealed class GatewayLeaseApiTests(ApiFixture api)
{
    [Fact]
    public async Task The_api_process_keeps_its_gateway_lease_alive_while_it_runs()
    {
        var gateway = api.Services.GetRequiredService<GatewayInstance>();
        var grains = api.Services.GetRequiredService<IGrainFactory>();

        var lease = await grains.GetGrain<IGatewayLeaseGrain>(gateway.Id).Get();

        Assert.StartsWith("gw_", gateway.Id, StringComparison.Ordinal);
        Assert.True(lease.Alive);
        Assert.NotNull(lease.LastRenewedAt);
    }

    [Fact]
    public async Task After_a_lapse_the_gateway_registers_its_open_connections_again_and_their_sessions_count_them()
    {
        var tenant = await api.NewTenant(credits: 10);
        var id = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();
        var notifier = api.Services.GetRequiredService<SessionEndNotifier>();
        var gateway = api.Services.GetRequiredService<GatewayInstance>();
        var session = api.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(id);
        // A connection this process relays, which its session no longer counts (it dropped it while the lease had lapsed).
        using var watch = notifier.Watch(id, "con_lapsed", _ => { });
        Assert.Equal(0, (await session.Get())!.ConnectedClients);

        var accepted = await notifier.RegisterAllAsync(gateway.Id);

        Assert.True(accepted >= 1);
        Assert.Equal(1, (await session.Get())!.ConnectedClients);
        await session.Disconnect("con_lapsed");
    }
}
