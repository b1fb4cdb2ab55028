namespace UFBrowsers.Api.Problems;

/// <summary>The answers about profiles and session files a client can act on.</summary>
internal static class ProfileProblems
{
    public static readonly ApiProblem NotConfigured = new(StatusCodes.Status501NotImplemented, "profiles_not_configured", "Not implemented",
        "Profiles are not configured on this installation (no encryption key); ask its operator.");

    public static ApiProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, "profile_not_found", "Not found", detail);

    public static ApiProblem InUse(string detail) => ApiProblem.Conflict("profile_in_use", detail);

    public static ApiProblem InvalidFileName(string detail) => ApiProblem.BadRequest("invalid_file_name", detail);

    public static ApiProblem UploadTooLarge(long limit) => new(StatusCodes.Status413PayloadTooLarge, "upload_too_large", "Payload too large",
        $"An upload may be at most {limit} bytes.");
}
