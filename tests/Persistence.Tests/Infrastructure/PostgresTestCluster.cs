using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using UFBrowsers.Silo.Persistence;

using UFBrowsers.TestSupport;

namespace UFBrowsers.Persistence.Tests.Infrastructure;

/// <summary>A two-silo TestCluster whose membership, grain state and reminders live in PostgreSQL.</summary>
public static class PostgresTestCluster
{
    private const string ConnectionStringKey = PostgresOptions.SectionName + ":" + nameof(PostgresOptions.ConnectionString);

    public static async Task<TestCluster> StartAsync(string connectionString, string serviceId)
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.UseTestClusterMembership = false;
        // Reaches the silos as configuration, so UsePostgres() reads it the way a real silo does.
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.UsePostgres();
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = PostgresSiloBuilderExtensions.Invariant;
                options.ConnectionString = configuration[ConnectionStringKey];
            });
    }
}
