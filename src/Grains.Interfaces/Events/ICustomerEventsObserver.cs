using Orleans.Concurrency;

namespace UFBrowsers.Events;

/// <summary>Receives a customer's events, e.g. to push them to a browser over server-sent events.</summary>
[Alias("ufb.ICustomerEventsObserver")]
public interface ICustomerEventsObserver : IGrainObserver
{
    [OneWay, Alias("OnEvent")]
    Task OnEvent(CustomerEvent customerEvent);
}
