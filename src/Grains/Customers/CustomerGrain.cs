using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Sessions;
using UFBrowsers.Tenants;
using Orleans.Runtime;

namespace UFBrowsers.Grains.Customers;

/// <summary>
/// One customer. Money and session records live in the ledger store (the source of truth); this grain is its single
/// writer and caches the balance, the last entry id and the active sessions with what each has paid, reloaded on
/// activation. Every change is appended under an idempotency key, so a retry after a crash finds its entry already
/// there. The grain's own state holds only the profile (name, plan, subscription), written when that changes.
/// While it has active sessions it keeps a reminder that meters each of them every minute: that is what wakes a
/// session again, on another silo, when the silo it ran on dies. One reminder per customer rather than per session,
/// unregistered by the first tick that finds no session, so a busy customer's sessions cost no reminder writes.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", StorageNames.Grains)] IPersistentState<CustomerState> state,
    ILedgerStore ledger,
    PlanCatalog plans,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    private const string SessionsReminder = "sessions";

    private static readonly TimeSpan SessionsReminderPeriod = TimeSpan.FromMinutes(1);

    private long _balance;
    private long _lastEntryId;

    /// <summary>Running sessions and what each has paid so far (hold plus minutes).</summary>
    private Dictionary<string, long> _activeSessions = new(StringComparer.Ordinal);

    /// <summary>The sessions reminder as this activation registered it; null when not known to be registered.</summary>
    private IGrainReminder? _sessionsReminder;

    private CustomerState S => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var last = await ledger.LastAsync(CustomerId);
        _balance = last?.BalanceAfter ?? 0;
        _lastEntryId = last?.Id ?? 0;
        _activeSessions = new Dictionary<string, long>(await ledger.ActiveSessionsAsync(CustomerId), StringComparer.Ordinal);
    }

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
        await WriteState();
        await GrainFactory.For<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Register(CustomerId);
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
        await WriteState();
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
        await WriteState();
        logger.LogInformation("Customer {CustomerId}: tenant provisioned {Provisioned}", CustomerId, provisioned);
    }

    public async Task<CreditAdjustment> AdjustCredits(long amount, string reason, string idempotencyKey)
    {
        EnsureExists();
        if (await ledger.FindAsync(CustomerId, idempotencyKey) is { } replay)
        {
            return new CreditAdjustment(replay, null);
        }

        if (amount == 0 || string.IsNullOrWhiteSpace(reason))
        {
            return new CreditAdjustment(null, "An adjustment needs a non-zero amount and a reason.");
        }

        if (CreditLimits.Exceeds(_balance, amount))
        {
            return new CreditAdjustment(null, $"The amount is too large: a balance holds at most {CreditLimits.MaxBalance:N0} credits.", AmountTooLarge: true);
        }

        if (_balance + amount < 0)
        {
            return new CreditAdjustment(null, $"The adjustment would take the balance ({_balance}) below zero.");
        }

        var entry = await Post(LedgerEntryKind.Adjustment, amount, null, reason, idempotencyKey);
        return new CreditAdjustment(entry, null);
    }

    public Task<LedgerPage> GetLedger(int limit, long? before) => ledger.PageAsync(CustomerId, limit, before);

    public async Task<IReadOnlyList<DailyUsage>> GetDailyUsage(int days)
    {
        var lastDay = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var windowStart = new DateTimeOffset(lastDay.AddDays(1 - days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var newestFirst = new List<LedgerEntry>();
        long? before = null;
        do
        {
            var page = await ledger.PageAsync(CustomerId, 500, before);
            newestFirst.AddRange(page.Entries);
            before = page.Entries.Count > 0 && page.Entries[^1].At >= windowStart ? page.NextBefore : null;
        }
        while (before is not null);

        newestFirst.Reverse();
        return UsageReport.Daily(newestFirst, lastDay, days);
    }

    public Task<SessionPage> ListSessions(SessionStatus? status, int limit, long? before) =>
        ledger.SessionPageAsync(CustomerId, status, limit, before);

    public async Task<SessionAdmission> AdmitSession(string sessionId, string holdKey)
    {
        if (!S.Exists)
        {
            return Admission(SessionAdmissionOutcome.UnknownCustomer);
        }

        // Admitted before (the session's start is being retried): its hold and record were written together.
        if (_activeSessions.ContainsKey(sessionId))
        {
            return Admission(SessionAdmissionOutcome.Admitted);
        }

        var outcome = CheckAdmission();
        if (outcome != SessionAdmissionOutcome.Admitted)
        {
            return Admission(outcome);
        }

        // Registered before any money moves, so a session is never active without the reminder that keeps it metered.
        await WatchSessions();
        var hold = Draft(LedgerEntryKind.Hold, -SessionBilling.HoldCredits, sessionId, "session hold (first minute)", holdKey);
        Cached(await WriteToStore(() => ledger.OpenSessionAsync(CustomerId, sessionId, hold)));
        _activeSessions[sessionId] = SessionBilling.HoldCredits;
        return Admission(SessionAdmissionOutcome.Admitted);
    }

    public async Task<DebitResult> PayMinute(string sessionId, long minute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minute, 2);
        if (!_activeSessions.TryGetValue(sessionId, out var paid))
        {
            return new DebitResult(false, _balance);
        }

        // Paying minute n means the session has paid minutes 1..n, so paying it again is a no-op.
        if (paid >= minute)
        {
            return new DebitResult(true, _balance);
        }

        var key = $"{sessionId}:minute:{minute}";
        if (_balance < SessionBilling.CreditsPerMinute && await ledger.FindAsync(CustomerId, key) is null)
        {
            return new DebitResult(false, _balance);
        }

        await Post(LedgerEntryKind.Charge, -SessionBilling.CreditsPerMinute, sessionId, $"session minute {minute}", key);
        _activeSessions[sessionId] = minute;
        return new DebitResult(true, _balance);
    }

    public async Task<SessionSettlement> SettleSession(string sessionId, long totalCredits, string idempotencyKey)
    {
        if (!_activeSessions.TryGetValue(sessionId, out var paid))
        {
            // Already settled: answer with what was recorded then.
            return new SessionSettlement((await ledger.FindSessionAsync(CustomerId, sessionId))?.CreditsCharged ?? 0, _balance);
        }

        var delta = totalCredits - paid;
        // Minutes used but not prepaid (a late timer) are charged only as far as the balance goes.
        var charge = Math.Min(delta, _balance);
        var final = delta > 0 && charge > 0 ? Draft(LedgerEntryKind.Charge, -charge, sessionId, "session final charge", idempotencyKey)
            : delta < 0 ? Draft(LedgerEntryKind.Refund, -delta, sessionId, "unused prepaid minute", idempotencyKey)
            : null;
        var charged = paid - (final?.Amount ?? 0);
        if (await WriteToStore(() => ledger.CloseSessionAsync(CustomerId, sessionId, charged, final)) is { } written)
        {
            // A replayed entry (written before a crash) is what was charged, whatever this call computed.
            charged = paid - Cached(written).Amount;
        }

        _activeSessions.Remove(sessionId);
        return new SessionSettlement(charged, _balance);
    }

    public async Task<long> CancelAdmission(string sessionId, string refundKey)
    {
        if (!_activeSessions.TryGetValue(sessionId, out var paid))
        {
            return _balance;
        }

        var refund = paid > 0 ? Draft(LedgerEntryKind.Refund, paid, sessionId, "no browser available: hold refunded", refundKey) : null;
        if (await WriteToStore(() => ledger.CancelSessionAsync(CustomerId, sessionId, refund)) is { } written)
        {
            Cached(written);
        }

        _activeSessions.Remove(sessionId);
        return _balance;
    }

    public async Task<LedgerAudit> AuditLedger()
    {
        var totals = await ledger.TotalsAsync(CustomerId);
        var last = await ledger.LastAsync(CustomerId);
        return new LedgerAudit(CustomerId, _balance, totals.Sum, totals.Entries, last?.BalanceAfter ?? 0, _activeSessions.Count);
    }

    public async Task<long> StartCreditPeriod(long credits, string reason, string periodKey)
    {
        EnsureExists();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        // The grant is written last and always moves money, so its key alone says whether the period has started.
        var grantKey = $"{periodKey}:grant";
        if (await ledger.FindAsync(CustomerId, grantKey) is not null)
        {
            return _balance;
        }

        if (_balance > 0)
        {
            await Post(LedgerEntryKind.Adjustment, -_balance, null, "unused credits of the previous period expire", $"{periodKey}:expire");
        }

        await Post(LedgerEntryKind.Grant, credits, null, reason, grantKey);
        logger.LogInformation("Customer {CustomerId}: credit period {PeriodKey} started with {Credits} credits", CustomerId, periodKey, credits);
        return _balance;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SessionsReminder)
        {
            return;
        }

        _sessionsReminder ??= await this.GetReminder(SessionsReminder);
        if (_activeSessions.Count == 0)
        {
            await StopWatching();
            return;
        }

        foreach (var sessionId in _activeSessions.Keys)
        {
            // Not awaited: metering calls back into this grain (PayMinute), which is busy until this turn ends.
            GrainFactory.For<ISessionGrain>(sessionId).Meter().Ignore();
        }
    }

    private async Task WatchSessions() =>
        _sessionsReminder ??= await this.RegisterOrUpdateReminder(SessionsReminder, SessionsReminderPeriod, SessionsReminderPeriod);

    private async Task StopWatching()
    {
        if (_sessionsReminder is not null)
        {
            await this.UnregisterReminder(_sessionsReminder);
            _sessionsReminder = null;
        }
    }

    /// <summary>Appends to the ledger store, then moves the cached balance to what the store holds.</summary>
    private async Task<LedgerEntry> Post(LedgerEntryKind kind, long amount, string? sessionId, string reason, string idempotencyKey)
    {
        var draft = Draft(kind, amount, sessionId, reason, idempotencyKey);
        return Cached(await WriteToStore(() => ledger.AppendAsync(CustomerId, draft)));
    }

    /// <summary>The next entry after the cached last one.</summary>
    private LedgerEntry Draft(LedgerEntryKind kind, long amount, string? sessionId, string reason, string idempotencyKey) =>
        new(_lastEntryId + 1, kind, amount, _balance + amount, sessionId, reason, clock.GetUtcNow(), idempotencyKey);

    /// <summary>Moves the cached balance and last entry id to an entry the store has just written.</summary>
    private LedgerEntry Cached(LedgerAppendResult result)
    {
        if (result.Created)
        {
            _lastEntryId = result.Entry.Id;
            _balance = result.Entry.BalanceAfter;
        }

        return result.Entry;
    }

    private async Task<T> WriteToStore<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch
        {
            // The store may or may not have written: start again from it rather than from this activation's cache.
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task WriteState()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The in-memory state is ahead of storage now; the next call must read storage again.
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Asks the tenant to follow a subscription change before it is stored (so a failed call leaves the change to be
    /// retried): activation provisions, a plan change updates the quota, cancellation tears down. Returns whether the
    /// tenant is provisioned now, or null when the change does not concern the tenant.
    /// </summary>
    private async Task<bool?> SyncTenant(SubscriptionStatus status, string plan)
    {
        var tenant = GrainFactory.For<ITenantGrain>(CustomerId);
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

        if (_balance < SessionBilling.HoldCredits)
        {
            return SessionAdmissionOutcome.InsufficientCredit;
        }

        if (!S.TenantProvisioned)
        {
            return SessionAdmissionOutcome.TenantNotProvisioned;
        }

        return _activeSessions.Count >= plan.ConcurrencyLimit
            ? SessionAdmissionOutcome.ConcurrencyLimitReached
            : SessionAdmissionOutcome.Admitted;
    }

    private SessionAdmission Admission(SessionAdmissionOutcome outcome)
    {
        var plan = S.Exists ? plans.Get(S.Plan) : null;
        return new SessionAdmission(outcome, _balance, plan?.ConcurrencyLimit ?? 0, _activeSessions.Count, plan?.MaxSessionMinutes ?? 0);
    }

    private Account ToAccount() => new(
        CustomerId, S.Name, plans.Get(S.Plan), S.Status, _balance, _activeSessions.Count,
        TenantNamespace.For(CustomerId), S.TenantProvisioned, S.CreatedAt!.Value);

    private void EnsureExists()
    {
        if (!S.Exists)
        {
            throw new InvalidOperationException($"Customer '{CustomerId}' does not exist.");
        }
    }
}
