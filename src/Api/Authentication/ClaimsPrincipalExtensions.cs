using System.Security.Claims;

namespace UFBrowsers.Api.Authentication;

internal static class ClaimsPrincipalExtensions
{
    public static string CustomerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(AuthSchemes.CustomerIdClaim) ?? throw new InvalidOperationException("The request is not authenticated by an API key.");
}
