namespace UFBrowsers.Grains.Audit;

/// <summary>
/// One action in the audit log: who (<see cref="ActorType"/> api_key, operator, stripe or system, and the
/// key id when there is one), on whose account, what, on which object, from which request, and how it ended.
/// </summary>
public sealed record AuditRecord(
    DateTimeOffset At,
    string ActorType,
    string? ActorId,
    string? CustomerId,
    string Action,
    string? Target,
    string? RequestId,
    string Outcome);
