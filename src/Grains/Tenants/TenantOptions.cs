namespace UFBrowsers.Grains.Tenants;

/// <summary>Configuration section <c>UFBrowsers:Tenants</c>: how provisioning and teardown are retried.</summary>
public sealed class TenantOptions
{
    public const string Section = "UFBrowsers:Tenants";

    /// <summary>How often the retry reminder fires while a goal is not reached (Orleans allows no less than its MinimumReminderPeriod).</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait after the first failed attempt; it doubles with each further failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan Backoff(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var wait = InitialBackoff.TotalMilliseconds * factor;
        return wait >= MaxBackoff.TotalMilliseconds ? MaxBackoff : TimeSpan.FromMilliseconds(wait);
    }
}
