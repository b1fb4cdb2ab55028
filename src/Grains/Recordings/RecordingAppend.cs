namespace UFBrowsers.Grains.Recordings;

public enum RecordingAppend
{
    Appended = 0,

    /// <summary>The chunk would have passed the size limit: the recording is marked truncated and takes nothing more.</summary>
    Truncated = 1,

    /// <summary>The recording is finished, truncated already, or does not exist.</summary>
    Closed = 2,
}
