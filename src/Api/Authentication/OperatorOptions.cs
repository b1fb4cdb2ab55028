namespace UFBrowsers.Api.Authentication;

/// <summary>Configuration section <c>UFBrowsers:Operator</c>. With no token set, operator endpoints refuse everyone.</summary>
public sealed class OperatorOptions
{
    public const string Section = "UFBrowsers:Operator";

    public string? Token { get; set; }
}
