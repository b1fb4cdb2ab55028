using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UFBrowsers.Api.Tests.Infrastructure;

using UFBrowsers.Grains;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>The API with a clock the test moves, so a session can run for minutes in no time.</summary>
public sealed class ClockedApiFixture : ApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(UFBrowsersClock.Key, Clock));
}
