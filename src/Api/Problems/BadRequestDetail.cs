using System.Text.Json;
using System.Text.RegularExpressions;

namespace UFBrowsers.Api.Problems;

/// <summary>
/// A person's account of why ASP.NET Core could not bind a request. Its own messages name .NET types
/// (<c>Failed to bind parameter "int? limit" from "x"</c>, <c>The JSON value could not be converted to System.Int64</c>),
/// which are not for clients: only the parameter's name and the JSON path are kept.
/// </summary>
internal static partial class BadRequestDetail
{
    public static string For(BadHttpRequestException exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return string.IsNullOrEmpty(json.Path) || json.Path == "$"
                    ? "The request body is not valid JSON for this endpoint."
                    : $"The request body is not valid JSON for this endpoint: see {json.Path}.";
            }
        }

        if (BindFailure().Match(exception.Message) is { Success: true } bind)
        {
            return $"'{bind.Groups["name"].Value}' has a value that is not valid here.";
        }

        if (Missing().Match(exception.Message) is { Success: true } missing)
        {
            return missing.Groups["name"].Value == "body" ? "This request needs a JSON body." : $"'{missing.Groups["name"].Value}' is required.";
        }

        return exception.Message.Contains("JSON", StringComparison.Ordinal)
            ? "The request body is not valid JSON for this endpoint."
            : "The request could not be read.";
    }

    [GeneratedRegex("^Failed to bind parameter \"(?:[^\"]* )?(?<name>[A-Za-z0-9_]+)\" from")]
    private static partial Regex BindFailure();

    [GeneratedRegex("^Required parameter \"(?:[^\"]* )?(?<name>[A-Za-z0-9_]+)\" was not provided")]
    private static partial Regex Missing();
}
