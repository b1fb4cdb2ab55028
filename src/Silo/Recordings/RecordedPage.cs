namespace UFBrowsers.Silo.Recordings;

/// <summary>
/// One page (tab) being recorded: its flattened CDP session, the recorder script's id there, the recorder world's latest
/// execution context (from its binding calls) and the event batches collected since the last flush.
/// </summary>
internal sealed class RecordedPage(string targetId, string cdpSessionId)
{
    public string TargetId { get; } = targetId;

    public string CdpSessionId { get; } = cdpSessionId;

    public string? ScriptId { get; set; }

    public int? RecorderContextId { get; set; }

    public string? Url { get; set; }

    /// <summary>Batches as the page sent them: each a JSON array of events.</summary>
    public List<string> Batches { get; } = [];
}
