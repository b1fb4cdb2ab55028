namespace UFBrowsers.Api.Gateway;

public enum SessionTokenCheck
{
    Valid = 0,
    Missing = 1,
    /// <summary>Malformed, or signed for another session or with another key.</summary>
    Invalid = 2,
    Expired = 3,
}
