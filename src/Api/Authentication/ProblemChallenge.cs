using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace UFBrowsers.Api.Authentication;

internal static class ProblemChallenge
{
    public static async Task Write(HttpContext context, string detail, string[]? challenges = null)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenges is null ? "Bearer" : new StringValues(challenges);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = detail,
                Extensions = { ["code"] = "unauthorized" },
            },
        });
    }
}
