using UFBrowsers.Sessions;

namespace UFBrowsers.Events;

/// <summary>Something that changed in a customer's account, as its grains saw it: a session started or ended.</summary>
[GenerateSerializer, Immutable, Alias("ufb.CustomerEvent")]
public sealed record CustomerEvent(
    [property: Id(0)] CustomerEventKind Kind,
    [property: Id(1)] SessionView Session,
    [property: Id(2)] DateTimeOffset At);
