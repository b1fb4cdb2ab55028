using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UFBrowsers.Billing;

namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>
/// The inbox entry of one Stripe event. Deliveries of one event id queue here (the grain is not reentrant),
/// so however many copies Stripe sends at once, the event is applied by exactly one of them.
/// </summary>
public sealed class StripeEventInboxGrain(
    [PersistentState("stripe-event", StorageNames.Grains)] IPersistentState<StripeEventInboxState> state,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<StripeEventInboxGrain> logger) : Grain, IStripeEventInboxGrain
{
    private StripeEventInboxState S => state.State;

    public async Task<StripeEventResult> Process(StripeBillingEvent stripeEvent)
    {
        if (S.AppliedAt is not null)
        {
            return new StripeEventResult(StripeEventOutcome.Duplicate, $"Event already applied at {S.AppliedAt:O}: {S.Result?.Detail}");
        }

        // Recorded before it is applied: a failure leaves a received-but-not-applied entry that the next delivery retries.
        S.ReceivedAt ??= clock.GetUtcNow();
        S.Kind = stripeEvent.Kind;
        S.Deliveries++;
        await state.WriteStateAsync();

        var result = await Route(stripeEvent);

        S.AppliedAt = clock.GetUtcNow();
        S.Result = result;
        await state.WriteStateAsync();
        return result;
    }

    private async Task<StripeEventResult> Route(StripeBillingEvent stripeEvent)
    {
        var customerId = stripeEvent.CustomerId;
        if (customerId is null && stripeEvent.StripeCustomerId is { } stripeCustomerId)
        {
            customerId = await GrainFactory.For<IStripeCustomerIndexGrain>(stripeCustomerId).GetCustomerId();
        }

        if (customerId is null)
        {
            logger.LogWarning("Stripe event {EventId} ({Kind}) names no known customer (Stripe customer {StripeCustomerId}); ignored",
                stripeEvent.EventId, stripeEvent.Kind, stripeEvent.StripeCustomerId);
            return new StripeEventResult(StripeEventOutcome.Ignored, "The event names no customer of this service.");
        }

        return await GrainFactory.For<IStripeSubscriptionGrain>(customerId).Apply(stripeEvent);
    }
}
