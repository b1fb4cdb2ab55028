using UFBrowsers.Profiles;

namespace UFBrowsers.Sessions;

/// <summary>What a customer asked for. A replay with the same idempotency key must ask for the same thing.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionRequest")]
public sealed record SessionRequest(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? NodePool = null,
    [property: Id(2)] int? TimeoutSeconds = null,
    [property: Id(3)] int? FirstConnectSeconds = null,
    [property: Id(4)] int? IdleTimeoutSeconds = null,
    [property: Id(5)] ProfileUse? Profile = null,
    [property: Id(10)] bool Recording = false);
