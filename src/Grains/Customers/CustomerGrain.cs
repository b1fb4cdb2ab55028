using Microsoft.Extensions.Logging;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Sessions;
using UFBrowsers.Tenants;

namespace UFBrowsers.Grains.Customers;

public sealed class CustomerGrain(
    [PersistentState("customer", StorageNames.Grains)] IPersistentState<CustomerState> state,
    PlanCatalog plans,
    TimeProvider clock,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    private CustomerState S => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    public async Task<Account> Create(string name, string plan)
    {
        if (S.Exists)
        {
            return ToAccount();
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        S.Plan = plans.Get(plan).Name;
        S.Name = name;
        S.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Register(CustomerId);
        logger.LogInformation("Customer {CustomerId} created on plan {Plan}", CustomerId, S.Plan);
        return ToAccount();
    }

    public Task<Account?> GetAccount() => Task.FromResult(S.Exists ? ToAccount() : null);

    public async Task<Account> ChangeSubscription(SubscriptionChange change)
    {
        EnsureExists();
        var plan = change.Plan is null ? S.Plan : plans.Get(change.Plan).Name;
        var status = change.Status ?? S.Status;
        var tenantProvisioned = await SyncTenant(status, plan);
        S.Plan = plan;
        S.Status = status;
        S.TenantProvisioned = change.TenantProvisioned ?? tenantProvisioned ?? S.TenantProvisioned;
        await state.WriteStateAsync();
        logger.LogInformation(
            "Customer {CustomerId} subscription: plan {Plan}, status {Status}, tenant provisioned {Provisioned}",
            CustomerId, S.Plan, S.Status, S.TenantProvisioned);
        return ToAccount();
    }

    public async Task SetTenantProvisioned(bool provisioned)
    {
        // A late "provisioned" from before a cancellation must not reopen a cancelled customer's tenant.
        if (!S.Exists || S.TenantProvisioned == provisioned || (provisioned && S.Status == SubscriptionStatus.Cancelled))
        {
            return;
        }

        S.TenantProvisioned = provisioned;
        await state.WriteStateAsync();
        logger.LogInformation("Customer {CustomerId}: tenant provisioned {Provisioned}", CustomerId, provisioned);
    }

    public async Task<CreditAdjustment> AdjustCredits(long amount, string reason, string idempotencyKey)
    {
        EnsureExists();
        if (S.Ledger.Find(idempotencyKey) is { } replay)
        {
            return new CreditAdjustment(replay, null);
        }

        if (amount == 0 || string.IsNullOrWhiteSpace(reason))
        {
            return new CreditAdjustment(null, "An adjustment needs a non-zero amount and a reason.");
        }

        if (S.Ledger.Balance + amount < 0)
        {
            return new CreditAdjustment(null, $"The adjustment would take the balance ({S.Ledger.Balance}) below zero.");
        }

        var (entry, _) = S.Ledger.Post(LedgerEntryKind.Adjustment, amount, null, reason, idempotencyKey, clock.GetUtcNow());
        await state.WriteStateAsync();
        return new CreditAdjustment(entry, null);
    }

    public Task<LedgerPage> GetLedger(int limit, long? before) => Task.FromResult(S.Ledger.Page(limit, before));

    public Task<SessionPage> ListSessions(SessionStatus? status, int limit, long? before) =>
        Task.FromResult(S.Sessions.Page(status, limit, before));

    public async Task<SessionAdmission> AdmitSession(string sessionId, string holdKey)
    {
        if (!S.Exists)
        {
            return Admission(SessionAdmissionOutcome.UnknownCustomer);
        }

        if (S.ActiveSessions.ContainsKey(sessionId) && S.Ledger.Find(holdKey) is not null)
        {
            return Admission(SessionAdmissionOutcome.Admitted);
        }

        var outcome = CheckAdmission();
        if (outcome != SessionAdmissionOutcome.Admitted)
        {
            return Admission(outcome);
        }

        var now = clock.GetUtcNow();
        S.Ledger.Post(LedgerEntryKind.Hold, -SessionBilling.HoldCredits, sessionId, "session hold (first minute)", holdKey, now);
        S.ActiveSessions[sessionId] = SessionBilling.HoldCredits;
        S.Sessions.Add(sessionId, now);
        await state.WriteStateAsync();
        return Admission(SessionAdmissionOutcome.Admitted);
    }

    public async Task<DebitResult> DebitSession(string sessionId, long credits, string idempotencyKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        if (S.Ledger.Find(idempotencyKey) is not null)
        {
            return new DebitResult(true, S.Ledger.Balance);
        }

        if (!S.ActiveSessions.TryGetValue(sessionId, out var paid) || S.Ledger.Balance < credits)
        {
            return new DebitResult(false, S.Ledger.Balance);
        }

        S.Ledger.Post(LedgerEntryKind.Charge, -credits, sessionId, "session minute", idempotencyKey, clock.GetUtcNow());
        S.ActiveSessions[sessionId] = paid + credits;
        await state.WriteStateAsync();
        return new DebitResult(true, S.Ledger.Balance);
    }

    public async Task<SessionSettlement> SettleSession(string sessionId, long totalCredits, string idempotencyKey)
    {
        if (!S.ActiveSessions.Remove(sessionId, out var paid))
        {
            // Already settled: answer with what was recorded then.
            return new SessionSettlement(S.Sessions.Find(sessionId)?.CreditsCharged ?? 0, S.Ledger.Balance);
        }

        var delta = totalCredits - paid;
        var now = clock.GetUtcNow();
        if (delta > 0)
        {
            // Minutes used but not prepaid (a late timer) are charged only as far as the balance goes.
            var charge = Math.Min(delta, S.Ledger.Balance);
            if (charge > 0)
            {
                S.Ledger.Post(LedgerEntryKind.Charge, -charge, sessionId, "session final charge", idempotencyKey, now);
                paid += charge;
            }
        }
        else if (delta < 0)
        {
            S.Ledger.Post(LedgerEntryKind.Refund, -delta, sessionId, "unused prepaid minute", idempotencyKey, now);
            paid += delta;
        }

        S.Sessions.MarkEnded(sessionId, paid);
        await state.WriteStateAsync();
        return new SessionSettlement(paid, S.Ledger.Balance);
    }

    public async Task<long> CancelAdmission(string sessionId, string refundKey)
    {
        if (!S.ActiveSessions.Remove(sessionId, out var paid))
        {
            return S.Ledger.Balance;
        }

        if (paid > 0)
        {
            S.Ledger.Post(LedgerEntryKind.Refund, paid, sessionId, "no browser available: hold refunded", refundKey, clock.GetUtcNow());
        }

        S.Sessions.Remove(sessionId);
        await state.WriteStateAsync();
        return S.Ledger.Balance;
    }

    /// <summary>
    /// Asks the tenant to follow a subscription change before it is stored (so a failed call leaves the change to be
    /// retried): activation provisions, a plan change updates the quota, cancellation tears down. Returns whether the
    /// tenant is provisioned now, or null when the change does not concern the tenant.
    /// </summary>
    private async Task<bool?> SyncTenant(SubscriptionStatus status, string plan)
    {
        var tenant = GrainFactory.GetGrain<ITenantGrain>(CustomerId);
        if (status == SubscriptionStatus.Cancelled && S.Status != SubscriptionStatus.Cancelled)
        {
            return (await tenant.TearDown()).Provisioned;
        }

        var activated = status == SubscriptionStatus.Active && S.Status != SubscriptionStatus.Active;
        var planChanged = plan != S.Plan && status is SubscriptionStatus.Active or SubscriptionStatus.PastDue;
        return activated || planChanged ? (await tenant.Provision(plans.Get(plan))).Provisioned : null;
    }

    private SessionAdmissionOutcome CheckAdmission()
    {
        var plan = plans.Get(S.Plan);
        if (S.Status != SubscriptionStatus.Active)
        {
            return SessionAdmissionOutcome.SubscriptionInactive;
        }

        if (S.Ledger.Balance < SessionBilling.HoldCredits)
        {
            return SessionAdmissionOutcome.InsufficientCredit;
        }

        if (!S.TenantProvisioned)
        {
            return SessionAdmissionOutcome.TenantNotProvisioned;
        }

        return S.ActiveSessions.Count >= plan.ConcurrencyLimit
            ? SessionAdmissionOutcome.ConcurrencyLimitReached
            : SessionAdmissionOutcome.Admitted;
    }

    private SessionAdmission Admission(SessionAdmissionOutcome outcome)
    {
        var plan = S.Exists ? plans.Get(S.Plan) : null;
        return new SessionAdmission(outcome, S.Ledger.Balance, plan?.ConcurrencyLimit ?? 0, S.ActiveSessions.Count, plan?.MaxSessionMinutes ?? 0);
    }

    private Account ToAccount() => new(
        CustomerId, S.Name, plans.Get(S.Plan), S.Status, S.Ledger.Balance, S.ActiveSessions.Count,
        TenantNamespace.For(CustomerId), S.TenantProvisioned, S.CreatedAt!.Value);

    private void EnsureExists()
    {
        if (!S.Exists)
        {
            throw new InvalidOperationException($"Customer '{CustomerId}' does not exist.");
        }
    }
}
