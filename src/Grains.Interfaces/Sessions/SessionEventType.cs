namespace UFBrowsers.Sessions;

public enum SessionEventType
{
    Created = 0,
    Connected = 1,
    Disconnected = 2,
    Ended = 3,
}
