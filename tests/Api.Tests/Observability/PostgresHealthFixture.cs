using Microsoft.AspNetCore.Hosting;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>The API configured with a throwaway PostgreSQL server, which the tests stop and start.</summary>
public sealed class PostgresHealthFixture : ApiFactory
{
    public PostgresServer Postgres { get; } = new();

    protected override void ConfigureHost(IWebHostBuilder builder) =>
        builder.UseSetting("UFBrowsers:Postgres:ConnectionString", Postgres.ConnectionString);

    protected override async Task StartAsync()
    {
        await Postgres.InitializeAsync();
        await base.StartAsync();
    }

    protected override async Task StopAsync()
    {
        await base.StopAsync();
        await Postgres.DisposeAsync();
    }
}
