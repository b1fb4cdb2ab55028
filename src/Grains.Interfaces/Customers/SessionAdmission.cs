namespace UFBrowsers.Customers;

public enum SessionAdmissionOutcome
{
    Admitted = 0,
    UnknownCustomer = 1,
    SubscriptionInactive = 2,
    InsufficientCredit = 3,
    TenantNotProvisioned = 4,
    ConcurrencyLimitReached = 5,
}

/// <summary>
/// The customer's answer to a session asking to start: admitted with its hold taken, or why not. <see cref="Attempt"/> is
/// the start attempt the hold was taken for (its idempotency key), which may be later than the one asked for when earlier
/// attempts' holds were refunded already.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionAdmission")]
public sealed record SessionAdmission(
    [property: Id(0)] SessionAdmissionOutcome Outcome,
    [property: Id(1)] long Balance,
    [property: Id(2)] int ConcurrencyLimit,
    [property: Id(3)] int SessionsInUse,
    [property: Id(4)] int MaxSessionMinutes,
    [property: Id(5)] int Attempt = 0)
{
    public bool IsAdmitted => Outcome == SessionAdmissionOutcome.Admitted;
}
