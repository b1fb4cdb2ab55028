using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Grains.Pods;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Cluster.Tests.Infrastructure;

/// <summary>
/// The whole product (API and silo in one process) on a PostgreSQL database, as in production but with fake pods. Pods
/// given to the constructor outlive the process (as Kubernetes pods do); by default each process has its own.
/// </summary>
public sealed class ProductOnPostgres(string connectionString, FakePodProvider? pods = null) : WebApplicationFactory<Program>
{
    public const string OperatorToken = "cluster-tests-operator-token";

    public FakePodProvider Pods { get; } = pods ?? new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("UFBrowsers:Silo:Storage", "Postgres");
        builder.UseSetting("UFBrowsers:Postgres:ConnectionString", connectionString);
        builder.UseSetting("UFBrowsers:Silo:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:GatewayPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:ClusterId", "restart-" + Guid.NewGuid().ToString("N")[..8]);
        builder.UseSetting("UFBrowsers:Operator:Token", OperatorToken);
        // A fixed key, as every production replica has, so connect URLs stay valid across a restart.
        builder.UseSetting("UFBrowsers:Gateway:SigningKey", "cluster-tests-gateway-signing-key-0123456789");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<IPodProvider>(Pods));
    }

    public HttpClient Operator()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        return client;
    }

    public HttpClient WithKey(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>An active, provisioned customer with <paramref name="credits"/> credits; returns its id and API key.</summary>
    public async Task<(string Id, string ApiKey)> NewCustomer(long credits)
    {
        using var op = Operator();
        return await OperatorApi.NewCustomer(op, credits);
    }
}
