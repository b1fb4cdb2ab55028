using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using UFBrowsers.Api.Problems;

namespace UFBrowsers.Api.Hosting;

/// <summary>
/// Every request body is limited to <see cref="DefaultMaxBytes"/> unless its endpoint declares another limit
/// (<see cref="IRequestSizeLimitMetadata"/>, as the Stripe webhook does). A declared length over the limit is answered
/// 413 <c>body_too_large</c> before anything reads the body; a body without a declared length is cut off by the server
/// at the limit, which the exception handler answers the same way.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    /// <summary>Every JSON request of this API is well under a kilobyte; 64 KB leaves room and bounds what a request can cost.</summary>
    public const long DefaultMaxBytes = 64 * 1024;

    public static readonly ApiProblem TooLarge = new(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Payload too large",
        "The request body is larger than this endpoint accepts.");

    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultMaxBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge.ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
