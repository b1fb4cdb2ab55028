using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using UFBrowsers.ApiKeys;
using UFBrowsers.Grains.Telemetry;

namespace UFBrowsers.Api.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer ufb_…</c>. Every request asks the key's grain, so a revoked key
/// stops working at once.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeyToken.TryParse(token, out var keyId, out var secret))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        string? customerId;
        using (UFBrowsersTracing.Start(UFBrowsersTracing.Spans.Authenticate))
        {
            customerId = await grains.For<IApiKeyGrain>(keyId).Authenticate(secret);
        }

        if (customerId is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(AuthSchemes.CustomerIdClaim, customerId), new Claim(AuthSchemes.KeyIdClaim, keyId)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemChallenge.Write(Context, "A valid API key is required: Authorization: Bearer <api key>.");
}
