namespace UFBrowsers.Api.Queue;

public enum QueueRefusal
{
    /// <summary>The request would not wait and others are already waiting: it may not overtake them.</summary>
    OthersWaiting = 0,
    /// <summary>The customer's queue is at its bound.</summary>
    QueueFull = 1,
    /// <summary>The request waited its waitSeconds and no slot came; nothing was charged.</summary>
    WaitElapsed = 2,
    /// <summary>The client went away while waiting.</summary>
    ClientGone = 3,
}
