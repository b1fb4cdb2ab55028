using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UFBrowsers.Grains.Telemetry;

namespace UFBrowsers.Api.Observability;

internal static class TelemetryServiceCollectionExtensions
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

    /// <summary>
    /// The activity sources exported when tracing is on: UFBrowsers' spans (each step of a create), ASP.NET Core's request,
    /// Orleans' grain calls (application grains) and Npgsql's statements.
    /// </summary>
    private static readonly string[] TraceSources =
    [
        UFBrowsersTracing.SourceName,
        "Microsoft.AspNetCore",
        "Microsoft.Orleans.Application",
        "Npgsql",
    ];

    public static IServiceCollection AddUFBrowsersTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var tracing = configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ufbrowsers"))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(tracing.OtlpEndpoint))
        {
            var protocol = tracing.OtlpProtocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc;
            telemetry.WithTracing(traces => traces.AddSource(TraceSources).AddOtlpExporter(otlp =>
            {
                otlp.Endpoint = new Uri(tracing.OtlpEndpoint);
                otlp.Protocol = protocol;
            }));
        }

        return services;
    }
}
