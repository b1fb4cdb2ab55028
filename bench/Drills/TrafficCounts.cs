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

    public override string ToString() =>
        $"{Started} started, {StartRetries} start retries, {Refused} refused, {GaveUp} given up; " +
        $"{Ended} ended by the client, {EndRetries} end retries; {Abandoned} left to time out";
}
