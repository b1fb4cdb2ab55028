namespace UFBrowsers.Bench.Drills;

/// <summary>What the drill's clients did; updated from many tasks at once.</summary>
internal sealed class TrafficCounts
{
    public long Started;
    public long Refused;
    public long GaveUp;
    public long StartRetries;
    public long Ended;
    public long EndRetries;
    public long Abandoned;

    /// <summary>Clients that never retry and walked away after their one start or end attempt failed.</summary>
    public long WalkedAway;

    public override string ToString() =>
        $"{Started} started, {StartRetries} start retries, {Refused} refused, {GaveUp} given up; " +
        $"{Ended} ended by the client, {EndRetries} end retries; {Abandoned} left to time out; " +
        $"{WalkedAway} walked away after one failed call (clients that never retry)";
}
