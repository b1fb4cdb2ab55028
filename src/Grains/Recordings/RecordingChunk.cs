namespace UFBrowsers.Grains.Recordings;

/// <summary>
/// A batch of one page's rrweb events: <see cref="Events"/> is the gzip of a JSON array of events, <see cref="RawBytes"/>
/// its length before compression. <see cref="PageId"/> is the browser's target id of the page (tab) they came from.
/// </summary>
public sealed record RecordingChunk(string PageId, int Sequence, DateTimeOffset At, int RawBytes, byte[] Events);
