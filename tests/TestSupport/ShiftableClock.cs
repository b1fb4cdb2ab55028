namespace UFBrowsers.TestSupport;

/// <summary>
/// The system clock plus an offset a test can move forward: real timers keep firing in real time (so reminders and grain
/// timers run as they do in production), while the product's business time can jump a minute to make a minute due.
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
