namespace UFBrowsers.Api.Authentication;

public static class AuthSchemes
{
    public const string ApiKey = "ApiKey";
    public const string Operator = "Operator";

    public const string CustomerIdClaim = "ufb:customer_id";
    public const string KeyIdClaim = "ufb:key_id";
}
