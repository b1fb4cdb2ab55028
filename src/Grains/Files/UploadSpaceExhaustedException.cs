namespace UFBrowsers.Grains.Files;

/// <summary>An upload would take a session's uploads over their total limit; nothing was written.</summary>
public sealed class UploadSpaceExhaustedException(long limit) : Exception($"The session's uploads would exceed {limit} bytes.")
{
    public long Limit { get; } = limit;
}
