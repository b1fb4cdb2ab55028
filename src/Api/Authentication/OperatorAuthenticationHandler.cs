using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace UFBrowsers.Api.Authentication;

/// <summary>
/// Authenticates the operator token from configuration: <c>Authorization: Bearer &lt;token&gt;</c> for scripts and
/// scrapers, or HTTP Basic with the token as password (any user name) for a browser opening the dashboard.
/// </summary>
internal sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<OperatorOptions> operatorOptions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request) ?? BasicCredentials.Password(Request);
        var expected = operatorOptions.CurrentValue.Token;
        if (token is null || string.IsNullOrEmpty(expected))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong operator token."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemChallenge.Write(
            Context,
            "Operator endpoints need the operator token: Authorization: Bearer <operator token>, or Basic with the token as password.",
            ["Bearer", "Basic realm=\"UFBrowsers operators\", charset=\"UTF-8\""]);
}
