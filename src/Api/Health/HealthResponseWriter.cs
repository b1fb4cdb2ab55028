using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UFBrowsers.Api.Health;

/// <summary>Writes a health report as JSON: the status and each check's status and description, never exception details.</summary>
internal static class HealthResponseWriter
{
    public static Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            durationMs = (long)report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        }, JsonSerializerOptions.Web);
    }
}
