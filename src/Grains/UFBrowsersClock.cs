namespace UFBrowsers.Grains;

/// <summary>
/// The grains read time from a keyed <see cref="TimeProvider"/> so that tests can move the product's clock
/// without moving the Orleans runtime's, which reads the unkeyed one for its own timers and leases.
/// </summary>
public static class UFBrowsersClock
{
    public const string Key = "ufb-clock";
}
