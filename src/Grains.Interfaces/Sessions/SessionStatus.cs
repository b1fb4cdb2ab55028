namespace UFBrowsers.Sessions;

public enum SessionStatus
{
    /// <summary>Never started, or its last start failed before a browser was handed out.</summary>
    New = 0,
    Active = 1,
    Ended = 2,
}
