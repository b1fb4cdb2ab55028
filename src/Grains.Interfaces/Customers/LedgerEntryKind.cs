namespace UFBrowsers.Customers;

public enum LedgerEntryKind
{
    /// <summary>Credits granted by a plan period or a paid invoice.</summary>
    Grant = 0,
    /// <summary>The one-credit hold taken when a session starts; it is the session's first minute.</summary>
    Hold = 1,
    /// <summary>A minute (or the final settlement) of a running session.</summary>
    Charge = 2,
    /// <summary>Credits given back: a failed allocation's hold or a prepaid minute that was not used.</summary>
    Refund = 3,
    /// <summary>A manual correction by an operator, always with a reason.</summary>
    Adjustment = 4,
}
