using Microsoft.AspNetCore.Mvc;

namespace UFBrowsers.Api.Problems;

/// <summary>An RFC 9457 problem response with a machine-readable <c>code</c> and optional headers (Retry-After, …).</summary>
internal sealed class ApiProblem(int status, string code, string title, string detail, IReadOnlyDictionary<string, string>? headers = null)
    : IResult, IStatusCodeHttpResult
{
    public int Status => status;

    int? IStatusCodeHttpResult.StatusCode => status;

    public string Code => code;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            httpContext.Response.Headers[name] = value;
        }

        httpContext.Response.StatusCode = status;
        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    public static ApiProblem BadRequest(string code, string detail) => new(StatusCodes.Status400BadRequest, code, "Bad request", detail);

    public static ApiProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, "not_found", "Not found", detail);

    public static ApiProblem Unprocessable(string code, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, code, "Unprocessable request", detail);

    public static ApiProblem Conflict(string code, string detail) => new(StatusCodes.Status409Conflict, code, "Conflict", detail);
}
