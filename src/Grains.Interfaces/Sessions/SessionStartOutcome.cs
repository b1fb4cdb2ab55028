namespace UFBrowsers.Sessions;

public enum SessionStartOutcome
{
    Started = 0,
    /// <summary>The same idempotency key already started this session; nothing new was charged.</summary>
    Replayed = 1,
    UnknownCustomer = 2,
    SubscriptionInactive = 3,
    InsufficientCredit = 4,
    TenantNotProvisioned = 5,
    ConcurrencyLimitReached = 6,
    /// <summary>No browser could be had; the hold was refunded.</summary>
    NoBrowserAvailable = 7,
    UnknownNodePool = 8,
    /// <summary>The idempotency key was used before for a different request.</summary>
    IdempotencyConflict = 9,
    /// <summary>The requested profile does not exist or is another customer's; the hold was refunded.</summary>
    ProfileNotFound = 10,
    /// <summary>Another running session persists into the requested profile; the hold was refunded.</summary>
    ProfileInUse = 11,
    /// <summary>Profiles cannot be used on this installation (no encryption key configured); the hold was refunded.</summary>
    ProfilesNotConfigured = 12,
}
