namespace UFBrowsers.Grains.Telemetry;

/// <summary>
/// Configuration section <c>UFBrowsers:Tracing</c>. With <see cref="OtlpEndpoint"/> set, the API exports the spans of
/// <see cref="UFBrowsersTracing.SourceName"/>, Orleans' grain calls, Npgsql's statements and ASP.NET Core's requests over
/// OTLP; <see cref="Enabled"/> alone only makes grain calls carry the trace (for an in-process listener, as the benchmarks use).
/// </summary>
public sealed class TracingOptions
{
    public const string Section = "UFBrowsers:Tracing";

    public bool Enabled { get; set; }

    /// <summary>An OTLP collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or with <see cref="OtlpProtocol"/> <c>http/protobuf</c> its :4318 URL.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    public bool IsOn => Enabled || !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
