using Orleans.Concurrency;

namespace UFBrowsers.Events;

/// <summary>
/// Fans a customer's events out to whoever listens (key: customer id). Nothing is stored: an event with no
/// subscriber is gone, and a subscription lapses unless renewed within <see cref="SubscriptionLifetime"/>.
/// </summary>
[Alias("ufb.ICustomerEventsGrain")]
public interface ICustomerEventsGrain : IGrainWithStringKey
{
    static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Adds or renews a subscription.</summary>
    [Alias("Subscribe")]
    Task Subscribe(ICustomerEventsObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(ICustomerEventsObserver observer);

    /// <summary>Sends the event to every subscriber; one-way, so a publisher never waits for (or fails with) a listener.</summary>
    [OneWay, Alias("Publish")]
    Task Publish(CustomerEvent customerEvent);
}
