using Microsoft.Extensions.Logging;
using UFBrowsers.Billing;
using UFBrowsers.Customers;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>
/// Applies Stripe's view of a customer's subscription (key: customer id). Events arrive at least once and in
/// any order, so two watermarks decide what an event may still change:
/// <list type="bullet">
/// <item>Plan and status follow the newest event by its <c>created</c> time (ties broken by event id): an
/// event older than the last one applied changes neither. A deleted subscription never becomes active again.</item>
/// <item>Credits follow the billing period, compared by its start (an invoice's line period; for a checkout,
/// the subscription's start): a period is credited only if it starts after the last credited one, and under
/// the key of the invoice that paid it, which a checkout and that first invoice's <c>invoice.paid</c> share.</item>
/// </list>
/// Effects are applied first and the watermarks stored after, so a failure midway is retried whole: every
/// effect is idempotent (ledger keys, plan and status set to absolute values, ending an ended session).
/// </summary>
public sealed class StripeSubscriptionGrain(
    [PersistentState("stripe-subscription", StorageNames.Grains)] IPersistentState<StripeSubscriptionState> state,
    PlanCatalog plans,
    IPaymentGateway gateway,
    ILogger<StripeSubscriptionGrain> logger) : Grain, IStripeSubscriptionGrain
{
    private const int SessionPageSize = 100;

    private StripeSubscriptionState S => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    private ICustomerGrain Customer => GrainFactory.For<ICustomerGrain>(CustomerId);

    public async Task<StripeEventResult> Apply(StripeBillingEvent stripeEvent)
    {
        var account = await Customer.GetAccount();
        if (account is null)
        {
            logger.LogWarning("Stripe event {EventId} names customer {CustomerId}, which does not exist; ignored", stripeEvent.EventId, CustomerId);
            return new StripeEventResult(StripeEventOutcome.Ignored, $"No customer '{CustomerId}'.");
        }

        try
        {
            var plan = PlanOf(stripeEvent) ?? account.Plan;
            await LinkStripeCustomer(stripeEvent);
            var credited = await ApplyCredits(stripeEvent, plan);
            var changed = await ApplyState(stripeEvent, plan);
            await state.WriteStateAsync();
            return new StripeEventResult(StripeEventOutcome.Applied, StripePaymentRules.WhyNoCredits(stripeEvent) ?? Describe(credited, changed));
        }
        catch
        {
            // What this activation holds may be ahead of storage; the retry must decide from what was stored.
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<BillingRedirect> StartCheckout(string plan)
    {
        if (await Customer.GetAccount() is null)
        {
            return new BillingRedirect(BillingRedirectOutcome.UnknownCustomer, null, $"No customer '{CustomerId}'.");
        }

        if (!plans.TryGet(plan, out var known))
        {
            return new BillingRedirect(BillingRedirectOutcome.UnknownPlan, null, $"Unknown plan '{plan}'.");
        }

        if (plans.StripePriceOf(known.Name) is not { } priceId)
        {
            return new BillingRedirect(BillingRedirectOutcome.PlanNotForSale, null, $"Plan '{known.Name}' has no Stripe price configured.");
        }

        return await Redirect(ct => gateway.CreateCheckoutSessionAsync(new CheckoutSessionRequest(CustomerId, known.Name, priceId, S.StripeCustomerId), ct));
    }

    public async Task<BillingRedirect> OpenPortal()
    {
        if (await Customer.GetAccount() is null)
        {
            return new BillingRedirect(BillingRedirectOutcome.UnknownCustomer, null, $"No customer '{CustomerId}'.");
        }

        return S.StripeCustomerId is { } stripeCustomerId
            ? await Redirect(ct => gateway.CreatePortalSessionAsync(stripeCustomerId, ct))
            : new BillingRedirect(BillingRedirectOutcome.NoBillingAccount, null, "This account has no Stripe customer yet; subscribe through a checkout first.");
    }

    public Task<StripeLink> GetLink() => Task.FromResult(new StripeLink(S.StripeCustomerId, S.SubscriptionId));

    private async Task LinkStripeCustomer(StripeBillingEvent stripeEvent)
    {
        if (stripeEvent.StripeCustomerId is not { } stripeCustomerId || S.StripeCustomerId == stripeCustomerId)
        {
            return;
        }

        var owner = await GrainFactory.For<IStripeCustomerIndexGrain>(stripeCustomerId).Link(CustomerId);
        if (owner != CustomerId)
        {
            logger.LogWarning("Stripe customer {StripeCustomerId} belongs to {Owner}, not {CustomerId}; not linked", stripeCustomerId, owner, CustomerId);
            return;
        }

        // A customer who subscribes again may get a new Stripe customer; the newest event's wins.
        if (S.StripeCustomerId is null || new EventWatermark(stripeEvent.Created, stripeEvent.EventId).IsAtOrAfter(S.StateWatermark))
        {
            S.StripeCustomerId = stripeCustomerId;
        }
    }

    /// <summary>Starts the credit period the event pays for (<see cref="StripePaymentRules"/>), if it is newer than the last one credited.</summary>
    private async Task<long?> ApplyCredits(StripeBillingEvent stripeEvent, Plan plan)
    {
        if (!StripePaymentRules.PaysForNewPeriod(stripeEvent) || stripeEvent.InvoiceId is not { } invoiceId)
        {
            return null;
        }

        // A checkout's period is the subscription's first, which starts when the checkout completes (or its payment arrives).
        var periodStart = stripeEvent.PeriodStart ?? stripeEvent.Created;
        if (S.CreditedPeriodStart is { } credited && periodStart <= credited)
        {
            return null;
        }

        await Customer.StartCreditPeriod(plan.CreditsPerPeriod, $"plan {plan.Name}: credits for the period paid by {invoiceId}", $"stripe:period:{invoiceId}");
        S.CreditedPeriodStart = periodStart;
        return plan.CreditsPerPeriod;
    }

    /// <summary>Sets plan and status from the event unless a newer event already did; ends sessions on cancellation.</summary>
    private async Task<SubscriptionStatus?> ApplyState(StripeBillingEvent stripeEvent, Plan plan)
    {
        var status = StripeSubscriptionStatuses.After(stripeEvent);
        if (stripeEvent.Kind == StripeEventKind.SubscriptionDeleted && stripeEvent.SubscriptionId is { } deleted)
        {
            S.EndedSubscriptions.Add(deleted);
        }

        var watermark = new EventWatermark(stripeEvent.Created, stripeEvent.EventId);
        if (status is null || !watermark.IsAtOrAfter(S.StateWatermark))
        {
            return null;
        }

        if (status != SubscriptionStatus.Cancelled && stripeEvent.SubscriptionId is { } id && S.EndedSubscriptions.Contains(id))
        {
            return null;
        }

        // The CustomerGrain asks its TenantGrain to provision or tear down the tenant as the status changes.
        await Customer.ChangeSubscription(new SubscriptionChange(plan.Name, status));
        if (status == SubscriptionStatus.Cancelled)
        {
            await EndActiveSessions();
        }

        S.SubscriptionId = stripeEvent.SubscriptionId ?? S.SubscriptionId;
        S.StateWatermark = watermark;
        return status;
    }

    private async Task EndActiveSessions()
    {
        long? before = null;
        do
        {
            var page = await Customer.ListSessions(SessionStatus.Active, SessionPageSize, before);
            await Task.WhenAll(page.Sessions.Select(s => GrainFactory.For<ISessionGrain>(s.SessionId).End(EndReason.Cancelled)));
            before = page.NextBefore;
        }
        while (before is not null);
    }

    private Plan? PlanOf(StripeBillingEvent stripeEvent)
    {
        if (stripeEvent.PriceId is { } priceId)
        {
            if (plans.TryGetByStripePrice(priceId, out var byPrice))
            {
                return byPrice;
            }

            logger.LogWarning("Stripe price {PriceId} in event {EventId} is not configured for any plan", priceId, stripeEvent.EventId);
        }

        return stripeEvent.PlanName is { } name && plans.TryGet(name, out var byName) ? byName : null;
    }

    private async Task<BillingRedirect> Redirect(Func<CancellationToken, Task<string>> create)
    {
        try
        {
            return new BillingRedirect(BillingRedirectOutcome.Created, await create(CancellationToken.None));
        }
        catch (PaymentGatewayException ex)
        {
            // Configuration errors are logged once, by the gateway; they would repeat on every request.
            if (ex.Failure == PaymentGatewayFailure.Unavailable)
            {
                logger.LogWarning(ex, "Stripe request for customer {CustomerId} failed", CustomerId);
            }

            return new BillingRedirect(ex.Failure switch
            {
                PaymentGatewayFailure.NotConfigured => BillingRedirectOutcome.NotConfigured,
                PaymentGatewayFailure.Misconfigured => BillingRedirectOutcome.Misconfigured,
                _ => BillingRedirectOutcome.Unavailable,
            }, null, ex.Message);
        }
    }

    private static string Describe(long? credited, SubscriptionStatus? status) =>
        (credited, status) switch
        {
            (null, null) => "Older than the current state; nothing changed.",
            (null, { } s) => $"Status {s}.",
            ({ } c, null) => $"Credit period started with {c} credits.",
            ({ } c, { } s) => $"Status {s}; credit period started with {c} credits.",
        };
}
