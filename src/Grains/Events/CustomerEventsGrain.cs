using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using UFBrowsers.Events;

namespace UFBrowsers.Grains.Events;

public sealed class CustomerEventsGrain : Grain, ICustomerEventsGrain
{
    private readonly ObserverManager<ICustomerEventsObserver> _observers;

    public CustomerEventsGrain(ILogger<CustomerEventsGrain> logger) =>
        _observers = new ObserverManager<ICustomerEventsObserver>(ICustomerEventsGrain.SubscriptionLifetime, logger);

    public Task Subscribe(ICustomerEventsObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(ICustomerEventsObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Publish(CustomerEvent customerEvent)
    {
        _observers.Notify(o => o.OnEvent(customerEvent));
        return Task.CompletedTask;
    }
}
