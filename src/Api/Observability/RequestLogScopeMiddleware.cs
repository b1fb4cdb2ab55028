using UFBrowsers.Api.Authentication;

namespace UFBrowsers.Api.Observability;

/// <summary>
/// Puts the authenticated customer id and the session id of <c>/v1/sessions/{id}</c> into the logging scope
/// of the request (ASP.NET Core already adds the request id). Runs after authorization, which sets the user.
/// </summary>
internal sealed class RequestLogScopeMiddleware(RequestDelegate next, ILogger<RequestLogScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var scope = new Dictionary<string, object>(2);
        if (context.User.FindFirst(AuthSchemes.CustomerIdClaim)?.Value is { } customerId)
        {
            scope["CustomerId"] = customerId;
        }

        if (context.Request.Path.StartsWithSegments("/v1/sessions") && context.GetRouteValue("id") is string sessionId)
        {
            scope["SessionId"] = sessionId;
        }

        if (scope.Count == 0)
        {
            await next(context);
            return;
        }

        using (logger.BeginScope(scope))
        {
            await next(context);
        }
    }
}
