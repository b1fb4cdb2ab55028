using System.Data.Common;
using System.Net.Sockets;
using Orleans.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using UFBrowsers.Api.Problems;

namespace UFBrowsers.Api.Hosting;

/// <summary>
/// Turns exceptions into problem details: unreadable input is 400 (415 for a charset that is not JSON's), a dependency that fails (a silo,
/// storage) is 503 with Retry-After, anything else 500. No exception's own message reaches the client: a 400 names the
/// parameter or JSON path that could not be read (<see cref="BadRequestDetail"/>), never a .NET type.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "body_too_large",
                "Payload too large", "The request body is larger than this endpoint accepts."),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (StatusCodes.Status415UnsupportedMediaType,
                "unsupported_media_type", "Unsupported media type", "The request body must be JSON (Content-Type: application/json)."),
            BadHttpRequestException bad => (bad.StatusCode, "invalid_request", "Bad request", BadRequestDetail.For(bad)),
            // ASP.NET Core's JSON body reader throws this (not a BadHttpRequestException) for a charset it cannot decode, e.g. utf-7.
            InvalidOperationException when exception.TargetSite?.DeclaringType == typeof(HttpRequestJsonExtensions) =>
                (StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type", "The request body must be JSON in UTF-8."),
            // The Orleans dashboard's silo pages parse the silo address from the path inside a grain activation and fail with a FormatException.
            _ when httpContext.Request.Path.StartsWithSegments("/dashboard") && Caused<FormatException>(exception) =>
                (StatusCodes.Status400BadRequest, "invalid_request", "Bad request", "The path does not name a silo."),
            _ when IsDependencyFailure(exception) => (StatusCodes.Status503ServiceUnavailable, "service_unavailable",
                "Service unavailable", "A backing service did not answer; nothing was changed. Retry later."),
            _ => (StatusCodes.Status500InternalServerError, "internal_error", "Internal server error", "An unexpected error occurred."),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed with {Status}", httpContext.Request.Method, httpContext.Request.Path, status);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    private static bool Caused<T>(Exception exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A silo, the database or the network failed somewhere under the grain call, not the request itself.</summary>
    private static bool IsDependencyFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OrleansException or TimeoutException or TaskCanceledException or DbException or SocketException or InconsistentStateException)
            {
                return true;
            }
        }

        return false;
    }
}
