namespace UFBrowsers.Customers;

public enum SubscriptionStatus
{
    None = 0,
    Active = 1,
    PastDue = 2,
    Cancelled = 3,
}
