using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace UFBrowsers.Api.Authentication;

internal static class ProblemChallenge
{
    public static async Task Write(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
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
