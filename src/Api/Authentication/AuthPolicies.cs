namespace UFBrowsers.Api.Authentication;

public static class AuthPolicies
{
    public const string Customer = "customer";
    public const string Operator = "operator";
}
