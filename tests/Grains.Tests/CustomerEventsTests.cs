using System.Threading.Channels;
using UFBrowsers.Events;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CustomerEventsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_subscriber_hears_its_customers_sessions_start_and_end_and_nothing_of_other_customers()
    {
        var customer = await TestCustomers.Active(fixture.Grains, credits: 10);
        var other = await TestCustomers.Active(fixture.Grains, credits: 10);
        var listener = new Listener();
        var observer = fixture.Cluster.Client.CreateObjectReference<ICustomerEventsObserver>(listener);
        await fixture.Grains.GetGrain<ICustomerEventsGrain>(customer.GetPrimaryKeyString()).Subscribe(observer);

        await fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New()).Start(new SessionRequest(other.GetPrimaryKeyString()));
        var session = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var started = await session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        await session.End(EndReason.Client);

        // One-way messages may arrive in either order; each event carries the session as it was then.
        var events = new[] { await listener.Next(), await listener.Next() }.OrderBy(e => e.Kind).ToList();
        Assert.Equal((CustomerEventKind.SessionStarted, started.Session!.Id, SessionStatus.Active), (events[0].Kind, events[0].Session.Id, events[0].Session.Status));
        Assert.Equal((CustomerEventKind.SessionEnded, started.Session.Id, 9L), (events[1].Kind, events[1].Session.Id, events[1].Session.Balance));

        await fixture.Grains.GetGrain<ICustomerEventsGrain>(customer.GetPrimaryKeyString()).Unsubscribe(observer);
        fixture.Cluster.Client.DeleteObjectReference<ICustomerEventsObserver>(observer);
    }

    private sealed class Listener : ICustomerEventsObserver
    {
        private readonly Channel<CustomerEvent> _events = Channel.CreateUnbounded<CustomerEvent>();

        public Task OnEvent(CustomerEvent customerEvent) => _events.Writer.WriteAsync(customerEvent).AsTask();

        public async Task<CustomerEvent> Next()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await _events.Reader.ReadAsync(timeout.Token);
        }
    }
}
