using System.Text;
using Microsoft.Net.Http.Headers;

namespace UFBrowsers.Api.Authentication;

/// <summary>
/// The password of an <c>Authorization: Basic</c> header, or null. Browsers send it on every request to the
/// same site once typed, which is how an operator's browser carries the token into the dashboard's own calls.
/// </summary>
internal static class BasicCredentials
{
    public static string? Password(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[prefix.Length..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon >= 0 && colon < decoded.Length - 1 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
