using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Grains.Pods;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Api.Tests.Infrastructure;

/// <summary>
/// The API and its co-hosted silo with instant fake pods and test plans. Subclasses add what their tests need
/// (a real port, captured logs, a PostgreSQL server) in <see cref="ConfigureHost"/>.
/// </summary>
public abstract class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OperatorToken = "test-operator-token-0123456789";

    public FakePodProvider Pods { get; } = new();

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("UFBrowsers:Silo:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:GatewayPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Operator:Token", OperatorToken);
        builder.UseSetting("UFBrowsers:Billing:Plans:small:MonthlyPriceCents", "900");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:CreditsPerPeriod", "500");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:ConcurrencyLimit", "2");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:MaxSessionMinutes", "5");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:MaxProfiles", "1");
        builder.UseSetting("UFBrowsers:Queue:MaxWaitersPerCustomer", "5");
        builder.UseSetting("UFBrowsers:Pods:NodePools:flaky:WarmTarget", "0");
        builder.UseSetting("UFBrowsers:Pods:NodePools:flaky:MaxPods", "100");
        builder.ConfigureTestServices(services => services.AddSingleton<IPodProvider>(Pods));
        ConfigureHost(builder);
    }

    protected virtual void ConfigureHost(IWebHostBuilder builder)
    {
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

    /// <summary>Creates a customer through the operator API and returns its id and a client holding its API key.</summary>
    public async Task<TestTenant> NewTenant(long credits = 100, string plan = "professional", bool active = true, bool provisioned = true)
    {
        using var op = Operator();
        var (id, apiKey) = await OperatorApi.NewCustomer(op, credits, plan, active, provisioned);
        return new TestTenant(id, apiKey, WithKey(apiKey));
    }

    /// <summary>Starts the host (and its silo) before the first test.</summary>
    protected virtual Task StartAsync()
    {
        _ = Services;
        return Task.CompletedTask;
    }

    protected virtual Task StopAsync() => base.DisposeAsync().AsTask();

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => StopAsync();
}
