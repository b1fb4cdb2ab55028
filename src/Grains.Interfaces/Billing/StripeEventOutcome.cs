namespace UFBrowsers.Billing;

public enum StripeEventOutcome
{
    /// <summary>The event was applied (which may mean it was older than the state and changed nothing).</summary>
    Applied = 0,
    /// <summary>The event id was seen and applied before; nothing was done again.</summary>
    Duplicate = 1,
    /// <summary>The event concerns nothing UFBrowsers knows (no such customer); acknowledged so Stripe stops sending it.</summary>
    Ignored = 2,
}
