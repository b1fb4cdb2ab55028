using System.IO.Compression;
using System.Text.Json;
using UFBrowsers.Grains.Recordings;

namespace UFBrowsers.Api.Recordings;

/// <summary>
/// Writes a recording as <see cref="Contracts.RecordingResponse"/> JSON, a chunk at a time: each stored chunk is a gzipped
/// JSON array of one page's events, unpacked straight into that page's <c>events</c> array, never parsed.
/// </summary>
internal sealed class RecordingResult(RecordingInfo info, IReadOnlyList<RecordingChunk> chunks) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var body = response.Body;
        var cancellationToken = httpContext.RequestAborted;

        var head = JsonSerializer.SerializeToUtf8Bytes(new
        {
            sessionId = info.SessionId,
            status = info.EndedAt is null ? "recording" : "complete",
            truncated = info.Truncated,
            startedAt = info.StartedAt,
            endedAt = info.EndedAt,
            expiresAt = info.ExpiresAt,
            bytesStored = info.BytesStored,
            rawBytes = info.RawBytes,
        });
        // The head's closing brace makes way for the pages.
        await body.WriteAsync(head.AsMemory(0, head.Length - 1), cancellationToken);
        await body.WriteAsync(",\"pages\":["u8.ToArray(), cancellationToken);

        var pages = chunks.GroupBy(c => c.PageId, StringComparer.Ordinal).ToList();
        for (var p = 0; p < pages.Count; p++)
        {
            var page = JsonSerializer.SerializeToUtf8Bytes(new { pageId = pages[p].Key });
            await body.WriteAsync(p == 0 ? Array.Empty<byte>() : ","u8.ToArray(), cancellationToken);
            await body.WriteAsync(page.AsMemory(0, page.Length - 1), cancellationToken);
            await body.WriteAsync(",\"events\":["u8.ToArray(), cancellationToken);
            var first = true;
            foreach (var chunk in pages[p])
            {
                var events = Decompress(chunk.Events);
                // A chunk is "[e1,e2,…]": its items join the page's array.
                if (events.Length <= 2)
                {
                    continue;
                }

                if (!first)
                {
                    await body.WriteAsync(","u8.ToArray(), cancellationToken);
                }

                await body.WriteAsync(events.AsMemory(1, events.Length - 2), cancellationToken);
                first = false;
            }

            await body.WriteAsync("]}"u8.ToArray(), cancellationToken);
        }

        await body.WriteAsync("]}"u8.ToArray(), cancellationToken);
    }

    private static byte[] Decompress(byte[] gzipped)
    {
        using var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var output = new MemoryStream(gzipped.Length * 6);
        input.CopyTo(output);
        return output.ToArray();
    }
}
