using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using UFBrowsers.Grains.Telemetry;

namespace UFBrowsers.Api.Observability;

internal static class MetricsServiceCollectionExtensions
{
    /// <summary>The meters exported at <c>/metrics</c>: UFBrowsers' own, Orleans', ASP.NET Core's and the runtime's.</summary>
    private static readonly string[] Meters =
    [
        UFBrowsersMetrics.MeterName,
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "System.Runtime",
    ];

    public static IServiceCollection AddUFBrowsersMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ufbrowsers"))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        return services;
    }
}
