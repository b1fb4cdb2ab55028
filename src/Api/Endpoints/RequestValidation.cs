using System.Globalization;
using System.Text.RegularExpressions;
using UFBrowsers.Api.Problems;

namespace UFBrowsers.Api.Endpoints;

/// <summary>Checks of request shape that must pass before anything is called: bad input changes nothing.</summary>
internal static partial class RequestValidation
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxTimeoutSeconds = 24 * 60 * 60;

    public static ApiProblem? IdempotencyKey(string? key, bool required)
    {
        if (key is null)
        {
            return required ? ApiProblem.BadRequest("idempotency_key_required", "This request needs an Idempotency-Key header.") : null;
        }

        return key.Length is >= 1 and <= 255 && PrintableAscii().IsMatch(key)
            ? null
            : ApiProblem.BadRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters.");
    }

    public static ApiProblem? Page(int? limit, string? cursor, out int pageLimit, out long? before)
    {
        pageLimit = limit ?? DefaultLimit;
        before = null;
        if (pageLimit is < 1 or > MaxLimit)
        {
            return ApiProblem.BadRequest("invalid_limit", $"limit must be between 1 and {MaxLimit}.");
        }

        if (cursor is null)
        {
            return null;
        }

        if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            return ApiProblem.BadRequest("invalid_cursor", "cursor must be a value returned as nextCursor.");
        }

        before = value;
        return null;
    }

    public static ApiProblem? NodePool(string? nodePool) =>
        nodePool is null || ResourceName().IsMatch(nodePool)
            ? null
            : ApiProblem.BadRequest("invalid_node_pool", "nodePool must be 1 to 63 lowercase letters, digits or '-'.");

    public static ApiProblem? TimeoutSeconds(int? seconds) =>
        seconds is null or (>= 1 and <= MaxTimeoutSeconds)
            ? null
            : ApiProblem.BadRequest("invalid_timeout", $"timeoutSeconds must be between 1 and {MaxTimeoutSeconds}.");

    public static ApiProblem? Seconds(int? seconds, string field, int min, int max) =>
        seconds is null || seconds >= min && seconds <= max
            ? null
            : ApiProblem.BadRequest($"invalid_{field}", $"{field} must be between {min} and {max}.");

    public static ApiProblem? CustomerId(string? id) =>
        id is not null && CustomerIdPattern().IsMatch(id)
            ? null
            : ApiProblem.BadRequest("invalid_customer_id", "A customer id is 1 to 40 lowercase letters, digits, '-' or '_', starting with a letter or digit.");

    // \z, not $: in .NET a $ also matches before a final newline, which would let "default\n" through.
    [GeneratedRegex("^[\\x21-\\x7E]+\\z")]
    private static partial Regex PrintableAscii();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\z")]
    private static partial Regex ResourceName();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}\\z")]
    private static partial Regex CustomerIdPattern();
}
