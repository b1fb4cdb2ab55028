namespace UFBrowsers.Grains.Queue;

/// <summary>Configuration section <c>UFBrowsers:Queue</c>: how many requests a customer may have waiting for a slot, and for how long.</summary>
public sealed class SessionQueueOptions
{
    public const string Section = "UFBrowsers:Queue";

    /// <summary>Waiters per customer; one more is refused at once with 429.</summary>
    public int MaxWaitersPerCustomer { get; set; } = 20;

    /// <summary>The longest <c>waitSeconds</c> a request may ask for.</summary>
    public int MaxWaitSeconds { get; set; } = 300;

    /// <summary>How long one wait call to the queue grain may last; kept well under Orleans' response timeout (30 s).</summary>
    public int PollSliceSeconds { get; set; } = 10;
}
