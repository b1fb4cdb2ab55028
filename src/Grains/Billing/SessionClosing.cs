using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Billing;

/// <summary>What a session's record says once it is settled: charged in all, why it ended and when.</summary>
public sealed record SessionClosing(string SessionId, long CreditsCharged, EndReason Reason, DateTimeOffset EndedAt);
