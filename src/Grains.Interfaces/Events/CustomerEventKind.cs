namespace UFBrowsers.Events;

public enum CustomerEventKind
{
    SessionStarted = 0,
    SessionEnded = 1,
}
