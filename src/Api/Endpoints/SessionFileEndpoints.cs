using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.OpenApi;
using UFBrowsers.Api.Problems;
using UFBrowsers.Grains.Files;

namespace UFBrowsers.Api.Endpoints;

internal static class SessionFileEndpoints
{
    /// <summary>Room for a multipart envelope (boundaries, part headers) around an upload of the largest size.</summary>
    private const long MultipartAllowance = 1024 * 1024;

    public static RouteGroupBuilder MapSessionFileEndpoints(this RouteGroupBuilder v1)
    {
        var maxUpload = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<IOptions<SessionFilesOptions>>().Value.MaxUploadBytes;
        var sessions = v1.MapGroup("/sessions").RequireAuthorization(AuthPolicies.Customer).AddEndpointFilter<AuditFilter>().WithTags("Session files")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        sessions.MapGet("/{id}/downloads", List).WithName("ListSessionDownloads")
            .WithSummary("The session's downloads: from its browser while it runs, then the copies kept for the retention period")
            .Produces<DownloadsResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapGet("/{id}/downloads/{name}", Download).WithName("GetSessionDownload")
            .WithSummary("One download's bytes (of a file cut off at the session's limit, what was kept)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapPost("/{id}/uploads", Upload).WithName("UploadSessionFile")
            .WithSummary("Puts a file (multipart/form-data, or the raw body with ?name=) into the running session's browser; answers the path the browser sees")
            .WithMetadata(new RequestSizeLimitAttribute(maxUpload + MultipartAllowance))
            .AddOpenApiOperationTransformer(UploadBody.Describe)
            .Produces<UploadResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        return v1;
    }

    private static async Task<IResult> List(ClaimsPrincipal user, SessionFiles files, string id, CancellationToken cancellationToken)
    {
        var listing = await files.ListDownloadsAsync(user.CustomerId(), id, cancellationToken);
        return listing is null ? SessionNotFound(id) : TypedResults.Ok(DownloadsResponse.From(id, listing));
    }

    private static async Task<IResult> Download(HttpContext context, ClaimsPrincipal user, SessionFiles files, string id, string name)
    {
        if (!FileNames.IsPlain(name))
        {
            return ProfileProblems.InvalidFileName("A download is named by its plain file name: no '/', '\\', '.', '..', control or format characters.");
        }

        var content = await files.OpenDownloadAsync(user.CustomerId(), id, name, context.RequestAborted);
        if (content is null)
        {
            return ApiProblem.NotFound($"No download '{name}' in session '{id}'.");
        }

        context.Response.ContentLength = content.Length;
        return TypedResults.Stream(content.Content, "application/octet-stream", name);
    }

    private static async Task<IResult> Upload(HttpContext context, ClaimsPrincipal user, SessionFiles files, string id, string? name)
    {
        var customerId = user.CustomerId();
        switch (await files.CheckUploadAsync(customerId, id))
        {
            case UploadOutcome.SessionNotFound:
                return SessionNotFound(id);
            case UploadOutcome.SessionEnded:
                return SessionEnded(id);
        }

        var limit = files.Options.MaxUploadBytes;
        await using var buffer = TemporaryFile();
        var received = await ReceiveAsync(context.Request, name, buffer, limit);
        if (received.Problem is { } problem)
        {
            return problem;
        }

        buffer.Position = 0;
        var result = await files.UploadAsync(customerId, id, received.Name!, buffer, buffer.Length, context.RequestAborted);
        return result.Outcome switch
        {
            UploadOutcome.Uploaded => TypedResults.Created((string?)null, new UploadResponse(received.Name!, result.Path!, buffer.Length)),
            UploadOutcome.SessionNotFound => SessionNotFound(id),
            UploadOutcome.SessionEnded => SessionEnded(id),
            UploadOutcome.SessionLimitReached => new ApiProblem(StatusCodes.Status413PayloadTooLarge, "session_uploads_full", "Payload too large",
                $"The session's uploads together may be at most {result.Limit} bytes."),
            _ => new ApiProblem(StatusCodes.Status501NotImplemented, "uploads_not_supported", "Not implemented",
                "This installation's browsers cannot take uploaded files."),
        };
    }

    /// <summary>
    /// The file of a multipart/form-data body (its first file part and that part's file name), or the raw body with the
    /// <c>name</c> query parameter, copied into <paramref name="buffer"/>; more than <paramref name="limit"/> bytes is refused.
    /// </summary>
    private static async Task<(string? Name, ApiProblem? Problem)> ReceiveAsync(HttpRequest request, string? queryName, FileStream buffer, long limit)
    {
        var body = request.Body;
        var name = queryName;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) && contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                return (null, ApiProblem.BadRequest("invalid_multipart", "A multipart/form-data body needs a boundary."));
            }

            var reader = new MultipartReader(boundary, body);
            MultipartSection? section;
            try
            {
                while ((section = await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted)) is not null
                       && !(ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition()
                            && (name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value) is not null))
                {
                }
            }
            catch (IOException)
            {
                return (null, ApiProblem.BadRequest("invalid_multipart", "The multipart/form-data body could not be read."));
            }

            if (section is null)
            {
                return (null, ApiProblem.BadRequest("missing_file", "The multipart/form-data body has no file part (Content-Disposition with a filename)."));
            }

            body = section.Body;
        }

        if (name is null)
        {
            return (null, ApiProblem.BadRequest("missing_file_name", "Name the file: a multipart file part's filename, or ?name= with a raw body."));
        }

        if (!FileNames.IsPlain(name))
        {
            return (null, ProfileProblems.InvalidFileName("An upload's name must be a plain file name: no '/', '\\', '.', '..', control or format characters, at most 255 bytes."));
        }

        var chunk = new byte[81920];
        while (await body.ReadAsync(chunk, request.HttpContext.RequestAborted) is var read and > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, ProfileProblems.UploadTooLarge(limit));
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), request.HttpContext.RequestAborted);
        }

        return (name, null);
    }

    /// <summary>Where an upload waits until it is whole (its size must be known before it goes to the pod); readable by this process only, deleted on close.</summary>
    private static FileStream TemporaryFile()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(Path.Combine(Path.GetTempPath(), "ufb-upload-" + Guid.NewGuid().ToString("N")), options);
    }

    private static ApiProblem SessionNotFound(string id) => ApiProblem.NotFound($"No session '{id}'.");

    private static ApiProblem SessionEnded(string id) => ApiProblem.Conflict("session_ended", $"Session '{id}' has ended: its browser is gone.");
}
