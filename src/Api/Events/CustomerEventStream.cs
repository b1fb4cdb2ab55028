using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Events;

namespace UFBrowsers.Api.Events;

/// <summary>
/// Subscribes to a customer's <see cref="ICustomerEventsGrain"/> for as long as a client listens and turns
/// each grain event into a server-sent event. The subscription is renewed (and a heartbeat sent) every
/// <see cref="RenewInterval"/>, well within the grain's subscription lifetime, so an idle stream stays open.
/// </summary>
internal sealed class CustomerEventStream : ICustomerEventsObserver
{
    private static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(30);

    // A client that cannot keep up loses the oldest events rather than holding memory; it refetches on the next one.
    private readonly Channel<CustomerEvent> _events = Channel.CreateBounded<CustomerEvent>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public Task OnEvent(CustomerEvent customerEvent)
    {
        _events.Writer.TryWrite(customerEvent);
        return Task.CompletedTask;
    }

    public static async IAsyncEnumerable<SseItem<CustomerEventResponse>> Read(
        IGrainFactory grains, TimeProvider clock, string customerId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new CustomerEventStream();
        var observer = grains.CreateObjectReference<ICustomerEventsObserver>(stream);
        var hub = grains.For<ICustomerEventsGrain>(customerId);
        try
        {
            await hub.Subscribe(observer);
            yield return Item("ready", null, clock.GetUtcNow());
            while (true)
            {
                var next = await stream.NextOrTimeout(cancellationToken);
                if (next is null)
                {
                    await hub.Subscribe(observer);
                    yield return Item("heartbeat", null, clock.GetUtcNow());
                    continue;
                }

                var kind = next.Kind == CustomerEventKind.SessionStarted ? "session.started" : "session.ended";
                yield return Item(kind, SessionResponse.From(next.Session, urls: null), next.At);
            }
        }
        finally
        {
            grains.DeleteObjectReference<ICustomerEventsObserver>(observer);
            await hub.Unsubscribe(observer).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<CustomerEvent?> NextOrTimeout(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RenewInterval);
        try
        {
            return await _events.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static SseItem<CustomerEventResponse> Item(string kind, SessionResponse? session, DateTimeOffset at) =>
        new(new CustomerEventResponse(kind, session, at), kind);
}
