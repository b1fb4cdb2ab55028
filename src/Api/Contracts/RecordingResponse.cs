using System.Text.Json;

namespace UFBrowsers.Api.Contracts;

/// <summary>
/// A session's recording: its rrweb events per page (tab), oldest first, for rrweb's Replayer or rrweb-player.
/// <c>status</c> is <c>recording</c> while the session runs, <c>complete</c> once it ended. <c>truncated</c>: the size
/// limit was reached and recording stopped there. Navigations are custom events (<c>type</c> 5) tagged <c>ufb.navigation</c>.
/// </summary>
/// <remarks>Written as a stream by <see cref="Recordings.RecordingResult"/>; this type describes it for the OpenAPI document.</remarks>
public sealed record RecordingResponse(
    string SessionId,
    string Status,
    bool Truncated,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset ExpiresAt,
    long BytesStored,
    long RawBytes,
    IReadOnlyList<RecordingPageResponse> Pages);

/// <summary>One page's events: <c>pageId</c> is the browser's target id of the tab.</summary>
public sealed record RecordingPageResponse(string PageId, IReadOnlyList<JsonElement> Events);
