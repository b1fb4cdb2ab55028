using Orleans.TestingHost;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.Persistence.Tests.TestGrains;
using UFBrowsers.TestSupport;
using static UFBrowsers.Persistence.Tests.Infrastructure.Sql;

namespace UFBrowsers.Persistence.Tests;

[Collection(PostgresCollection.Name)]
public sealed class OrleansOnPostgresTests(PostgresServer server)
{
    private const int ActiveStatus = 3;

    [Fact]
    public async Task Grain_state_written_by_one_cluster_is_read_by_a_new_cluster_on_the_same_database()
    {
        var serviceId = NewServiceId();
        var grainKey = Guid.NewGuid();
        var value = "written-" + Guid.NewGuid().ToString("N");

        await using (var first = await PostgresTestCluster.StartAsync(server.ConnectionString, serviceId))
        {
            await first.Client.GetGrain<IStateProbeGrain>(grainKey).WriteAsync(value);
            await first.StopAllSilosAsync();
        }

        var stored = await QueryAsync(server.ConnectionString,
            $"SELECT count(*) FROM OrleansStorage WHERE ServiceId = '{serviceId}' AND PayloadBinary IS NOT NULL",
            r => r.GetInt64(0));
        Assert.Equal([1L], stored);

        await using var second = await PostgresTestCluster.StartAsync(server.ConnectionString, serviceId);
        var read = await second.Client.GetGrain<IStateProbeGrain>(grainKey).ReadAsync();
        await second.StopAllSilosAsync();

        Assert.Equal(value, read);
    }

    [Fact]
    public async Task Both_silos_register_as_active_in_the_membership_table_and_a_reminder_is_stored()
    {
        var serviceId = NewServiceId();
        await using var cluster = await PostgresTestCluster.StartAsync(server.ConnectionString, serviceId);

        var members = await QueryAsync(server.ConnectionString,
            $"SELECT Address, Port, Status FROM OrleansMembershipTable WHERE DeploymentId = '{cluster.Options.ClusterId}'",
            r => (Address: r.GetString(0), Port: r.GetInt32(1), Status: r.GetInt32(2)));
        var siloPorts = cluster.GetActiveSilos().Select(s => s.SiloAddress.Endpoint.Port).Order().ToList();
        Assert.Equal(2, siloPorts.Count);
        Assert.Equal(siloPorts, members.Select(m => m.Port).Order());
        Assert.All(members, m => Assert.Equal(ActiveStatus, m.Status));

        var grainKey = Guid.NewGuid();
        var reminderName = "probe-" + Guid.NewGuid().ToString("N");
        await cluster.Client.GetGrain<IReminderProbeGrain>(grainKey).RegisterAsync(reminderName, TimeSpan.FromMinutes(10));

        var reminders = await QueryAsync(server.ConnectionString,
            $"SELECT GrainId, Period FROM OrleansRemindersTable WHERE ServiceId = '{serviceId}' AND ReminderName = '{reminderName}'",
            r => (GrainId: r.GetString(0), Period: r.GetInt64(1)));
        var reminder = Assert.Single(reminders);
        Assert.Contains(grainKey.ToString("N"), reminder.GrainId);
        Assert.Equal((long)TimeSpan.FromMinutes(10).TotalMilliseconds, reminder.Period);

        await cluster.StopAllSilosAsync();
    }

    private static string NewServiceId() => "svc-" + Guid.NewGuid().ToString("N")[..8];
}
