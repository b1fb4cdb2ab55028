namespace UFBrowsers.Tenants;

/// <summary>
/// Where a tenant stands. <see cref="Provisioned"/> is true only after every object of the tenant was created or
/// replaced; <see cref="Done"/> tells whether the latest goal was reached or retries are still pending.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.TenantStatus")]
public sealed record TenantStatus(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Namespace,
    [property: Id(2)] TenantGoal Goal,
    [property: Id(3)] string? Plan,
    [property: Id(4)] bool Provisioned,
    [property: Id(5)] bool Done,
    [property: Id(6)] int Attempts,
    [property: Id(7)] string? LastError,
    [property: Id(8)] DateTimeOffset? NextAttemptAt);
