using System.Globalization;
using System.Security.Claims;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Grains.Audit;

namespace UFBrowsers.Api.Auditing;

/// <summary>
/// Records every state-changing request in the audit log: actor, customer, action (the endpoint's name),
/// target (the route's id), request id and the status it ended with. Reads are not audited.
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

        var user = http.User;
        var isOperator = user.IsInRole("operator");
        var routeId = http.Request.RouteValues.TryGetValue("id", out var id) ? id as string : null;
        var record = new AuditRecord(
            clock.GetUtcNow(),
            isOperator ? "operator" : "api_key",
            isOperator ? null : user.FindFirstValue(AuthSchemes.KeyIdClaim),
            isOperator ? routeId : user.FindFirstValue(AuthSchemes.CustomerIdClaim),
            http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? http.Request.Path.Value ?? "",
            routeId ?? (http.Request.RouteValues.TryGetValue("keyId", out var keyId) ? keyId as string : null),
            http.TraceIdentifier,
            StatusOf(result).ToString(CultureInfo.InvariantCulture));

        try
        {
            await auditLog.AppendAsync(record, http.RequestAborted);
        }
        catch (Exception ex)
        {
            // The action itself has been applied; failing the response now would invite a retry of it.
            logger.LogError(ex, "Could not write the audit record of {Action} (request {RequestId})", record.Action, record.RequestId);
        }

        return result;
    }

    private static int StatusOf(object? result) => result switch
    {
        IStatusCodeHttpResult { StatusCode: { } status } => status,
        _ => StatusCodes.Status200OK,
    };
}
