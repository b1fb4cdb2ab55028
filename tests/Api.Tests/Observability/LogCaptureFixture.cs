using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>The API with every log entry down to Debug, from every category, captured for inspection.</summary>
public sealed class LogCaptureFixture : ApiFactory
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureHost(IWebHostBuilder builder) =>
        builder.ConfigureLogging(logging => logging
            .AddProvider(Logs)
            // A rule for this provider wins over the category rules of appsettings.json.
            .AddFilter<CapturedLogs>(null, LogLevel.Debug));
}
