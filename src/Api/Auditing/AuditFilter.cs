using System.Globalization;
using System.Security.Claims;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Grains.Audit;
using UFBrowsers.Grains.Telemetry;

namespace UFBrowsers.Api.Auditing;

/// <summary>
/// Records every state-changing request in the audit log: actor, customer, action (the endpoint's name),
/// target (the route's id), request id and the status it ended with. Reads are not audited. An endpoint whose caller is
/// neither an API key nor the operator (Stripe's webhook) names actor, customer and target itself through <see cref="AuditDetails"/>.
/// </summary>
internal sealed class AuditFilter(IAuditLog auditLog, TimeProvider clock, ILogger<AuditFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            return result;
        }

        var record = RecordOf(http, StatusOf(result).ToString(CultureInfo.InvariantCulture));
        try
        {
            using var span = UFBrowsersTracing.Start(UFBrowsersTracing.Spans.Audit);
            await auditLog.AppendAsync(record, http.RequestAborted);
        }
        catch (Exception ex)
        {
            // The action itself has been applied; failing the response now would invite a retry of it.
            logger.LogError(ex, "Could not write the audit record of {Action} (request {RequestId})", record.Action, record.RequestId);
        }

        return result;
    }

    private AuditRecord RecordOf(HttpContext http, string outcome)
    {
        var action = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? http.Request.Path.Value ?? "";
        if (http.Items.TryGetValue(AuditDetails.Key, out var named) && named is AuditDetails details)
        {
            return new AuditRecord(clock.GetUtcNow(), details.ActorType, details.ActorId, details.CustomerId, action, details.Target, http.TraceIdentifier, outcome);
        }

        var user = http.User;
        var isOperator = user.IsInRole("operator");
        var routeId = http.Request.RouteValues.TryGetValue("id", out var id) ? id as string : null;
        return new AuditRecord(
            clock.GetUtcNow(),
            isOperator ? "operator" : "api_key",
            isOperator ? null : user.FindFirstValue(AuthSchemes.KeyIdClaim),
            isOperator ? routeId : user.FindFirstValue(AuthSchemes.CustomerIdClaim),
            action,
            routeId ?? (http.Request.RouteValues.TryGetValue("keyId", out var keyId) ? keyId as string : null),
            http.TraceIdentifier,
            outcome);
    }

    private static int StatusOf(object? result) => result switch
    {
        IStatusCodeHttpResult { StatusCode: { } status } => status,
        _ => StatusCodes.Status200OK,
    };
}
