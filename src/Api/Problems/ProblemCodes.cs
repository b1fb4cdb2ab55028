namespace UFBrowsers.Api.Problems;

/// <summary>
/// Gives every problem response a machine-readable <c>code</c>, including those ASP.NET Core writes itself: the 400 of
/// its validation (DataAnnotations on request records), which also gets a <c>detail</c> a person can read without the
/// <c>errors</c> map, and the bare status codes of routing and binding (404, 405, 415) that the status-code pages turn
/// into problems.
/// </summary>
internal static class ProblemCodes
{
    public const string Validation = "invalid_request";

    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        if (problem is HttpValidationProblemDetails validation)
        {
            problem.Extensions["code"] = Validation;
            validation.Detail ??= string.Join(" ", validation.Errors.SelectMany(e => e.Value));
            return;
        }

        problem.Extensions["code"] = problem.Status switch
        {
            StatusCodes.Status400BadRequest => "invalid_request",
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status406NotAcceptable => "not_acceptable",
            StatusCodes.Status413PayloadTooLarge => "body_too_large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            _ => "error",
        };
    }
}
