using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Sessions;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Sessions;
using UFBrowsers.Tenants;
using Orleans.Runtime;

namespace UFBrowsers.Grains.Customers;

/// <summary>
/// One customer. Money and session records live in the ledger store (the source of truth); this grain is its single
/// writer and caches the balance, the last entry id and the active sessions with what each has paid, reloaded on
/// activation. Every change is appended under an idempotency key, so a retry after a crash finds its entry already
/// there. The grain's own state holds only the profile (name, plan, subscription), written when that changes.
/// While it holds a hold for any session it keeps a reminder that ticks each of them every period (a minute by default):
/// that is what wakes a session again, on another silo, when the silo it ran on dies, and what refunds the hold of a start
/// that never saved. One reminder per customer rather than per session, unregistered by the first tick that finds no
/// session, so a busy customer's sessions cost no reminder writes.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", StorageNames.Grains)] IPersistentState<CustomerState> state,
    ILedgerStore ledger,
    PlanCatalog plans,
    IOptions<SessionTimerOptions> timers,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    private const string SessionsReminder = "sessions";

    /// <summary>How many refunded start attempts of one session are skipped before admission gives up (a broken store, not a client).</summary>
    private const int MaxSpentAttempts = 100;

    private long _balance;
    private long _lastEntryId;

    /// <summary>Running sessions, what each has paid so far (hold plus minutes) and the start attempt its hold belongs to.</summary>
    private Dictionary<string, ActiveSession> _activeSessions = new(StringComparer.Ordinal);

    /// <summary>The sessions reminder as this activation registered it; null when not known to be registered.</summary>
    private IGrainReminder? _sessionsReminder;

    private CustomerState S => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var last = await ledger.LastAsync(CustomerId);
        _balance = last?.BalanceAfter ?? 0;
        _lastEntryId = last?.Id ?? 0;
        _activeSessions = new Dictionary<string, ActiveSession>(await ledger.ActiveSessionsAsync(CustomerId), StringComparer.Ordinal);
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

    public async Task<SessionAdmission> AdmitSession(string sessionId, int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        if (!S.Exists)
        {
            return Admission(SessionAdmissionOutcome.UnknownCustomer);
        }

        // Admitted before (the session's start is being retried): its hold and record were written together.
        if (_activeSessions.TryGetValue(sessionId, out var admitted))
        {
            return Admission(SessionAdmissionOutcome.Admitted, admitted.Attempt);
        }

        var outcome = CheckAdmission();
        if (outcome != SessionAdmissionOutcome.Admitted)
        {
            return Admission(outcome);
        }

        // Registered before any money moves, so a session is never active without the reminder that keeps it metered.
        await WatchSessions();
        for (var next = attempt; next < attempt + MaxSpentAttempts; next++)
        {
            var hold = Draft(LedgerEntryKind.Hold, -SessionBilling.HoldCredits, sessionId, "session hold (first minute)", $"{sessionId}:hold:{next}");
            LedgerAppendResult written;
            using (UFBrowsersTracing.Start(UFBrowsersTracing.Spans.HoldStatement))
            {
                written = await WriteToStore(() => ledger.OpenSessionAsync(CustomerId, sessionId, next, hold));
            }

            if (written.Created)
            {
                Cached(written);
                _activeSessions[sessionId] = new ActiveSession(SessionBilling.HoldCredits, next);
                return Admission(SessionAdmissionOutcome.Admitted, next);
            }

            // This attempt's hold was taken and then refunded or settled, by a start whose session lost count of its
            // attempts (a crash before it saved them): replaying that hold would open no record. Hold for the next attempt.
            logger.LogWarning("Session {SessionId} asked to hold for spent attempt {Attempt}; holding for the next", sessionId, next);
        }

        throw new InvalidOperationException($"Session '{sessionId}' of '{CustomerId}' has {MaxSpentAttempts} spent start attempts from {attempt} on.");
    }

    public async Task<DebitResult> PayMinute(string sessionId, long minute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minute, 2);
        if (!_activeSessions.TryGetValue(sessionId, out var session))
        {
            return new DebitResult(false, _balance, SessionOpen: false);
        }

        // Paying minute n means the session has paid minutes 1..n, so paying it again is a no-op.
        if (session.Paid >= minute)
        {
            return new DebitResult(true, _balance);
        }

        var key = $"{sessionId}:minute:{minute}";
        if (_balance < SessionBilling.CreditsPerMinute && await ledger.FindAsync(CustomerId, key) is null)
        {
            return new DebitResult(false, _balance);
        }

        await Post(LedgerEntryKind.Charge, -SessionBilling.CreditsPerMinute, sessionId, $"session minute {minute}", key);
        _activeSessions[sessionId] = session with { Paid = minute };
        return new DebitResult(true, _balance);
    }

    public async Task<SessionSettlement> SettleSession(string sessionId, SessionEnd end)
    {
        if (!_activeSessions.TryGetValue(sessionId, out var session))
        {
            // Settled before: answer with what was recorded then.
            var record = await ledger.FindSessionAsync(CustomerId, sessionId);
            return new SessionSettlement(record?.CreditsCharged ?? 0, _balance, record?.EndReason ?? end.Reason, record?.EndedAt ?? end.EndedAt);
        }

        var charge = SessionBilling.Settle(end.CreditsOwed, session.Paid, _balance);
        var closing = charge.BalanceShort
            ? new SessionClosing(sessionId, charge.Credits, EndReason.BalanceExhausted, SessionBilling.EndOfPaidTime(end.StartedAt, charge.Credits))
            : new SessionClosing(sessionId, charge.Credits, end.Reason, end.EndedAt);
        var delta = charge.Credits - session.Paid;
        var final = delta > 0 ? Draft(LedgerEntryKind.Charge, -delta, sessionId, "session final charge", $"{sessionId}:settle")
            : delta < 0 ? Draft(LedgerEntryKind.Refund, -delta, sessionId, "unused prepaid minute", $"{sessionId}:settle")
            : null;
        if (charge.BalanceShort)
        {
            logger.LogWarning(
                "Session {SessionId} of {CustomerId} used {Owed} minutes, the balance paid {Charged}: ended as balance_exhausted at {EndedAt}",
                sessionId, CustomerId, end.CreditsOwed, charge.Credits, closing.EndedAt);
        }

        var written = await WriteToStore(() => ledger.CloseSessionAsync(CustomerId, closing, final));
        _activeSessions.Remove(sessionId);
        if (written is { Created: false })
        {
            // The key was used before this activation (a crash after the write): the record says what was settled then.
            return await SettleSession(sessionId, end);
        }

        if (written is not null)
        {
            Cached(written);
        }

        return new SessionSettlement(closing.CreditsCharged, _balance, closing.Reason, closing.EndedAt);
    }

    public async Task<long> CancelAdmission(string sessionId)
    {
        if (!_activeSessions.TryGetValue(sessionId, out var session))
        {
            return _balance;
        }

        var refund = session.Paid > 0
            ? Draft(LedgerEntryKind.Refund, session.Paid, sessionId, "session did not start: hold refunded", $"{sessionId}:refund:{session.Attempt}")
            : null;
        if (await WriteToStore(() => ledger.CancelSessionAsync(CustomerId, sessionId, refund)) is { } written)
        {
            Cached(written);
        }

        _activeSessions.Remove(sessionId);
        return _balance;
    }

    public Task<SessionSummary?> GetSessionRecord(string sessionId) => ledger.FindSessionAsync(CustomerId, sessionId);

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
        var grantKey = $"{periodKey}:grant";
        var expireKey = $"{periodKey}:expire";
        if (await ledger.FindAsync(CustomerId, grantKey) is not null)
        {
            return _balance;
        }

        // The expiry and the grant are one step: written in one statement, so a crash leaves both or neither. (An expiry
        // without its grant can only come from a build that wrote them apart; the grant then completes it.)
        var at = clock.GetUtcNow();
        var entries = new List<LedgerEntry>(2);
        if (_balance > 0 && await ledger.FindAsync(CustomerId, expireKey) is null)
        {
            entries.Add(new LedgerEntry(_lastEntryId + 1, LedgerEntryKind.Adjustment, -_balance, 0, null, "unused credits of the previous period expire", at, expireKey));
        }

        var balanceBefore = entries.Count == 0 ? _balance : 0;
        var grant = new LedgerEntry(_lastEntryId + entries.Count + 1, LedgerEntryKind.Grant, credits, balanceBefore + credits, null, reason, at, grantKey);
        entries.Add(grant);
        if (!await WriteToStore(() => ledger.AppendAllAsync(CustomerId, entries)))
        {
            // Written by an activation that crashed before caching it: start again from the store.
            DeactivateOnIdle();
            throw new InvalidOperationException($"Credit period {periodKey} of '{CustomerId}' was written concurrently; retry.");
        }

        Cached(new LedgerAppendResult(grant, true));
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
            // Not awaited: metering calls back into this grain (PayMinute), which is busy until this turn ends. A session
            // that never saved its start (its silo died, or its refund failed, after the hold) refunds the hold when ticked.
            GrainFactory.For<ISessionGrain>(sessionId).Tick(CustomerId).Ignore();
        }
    }

    private async Task WatchSessions() =>
        _sessionsReminder ??= await this.RegisterOrUpdateReminder(SessionsReminder, timers.Value.ReminderPeriod, timers.Value.ReminderPeriod);

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

    private SessionAdmission Admission(SessionAdmissionOutcome outcome, int attempt = 0)
    {
        var plan = S.Exists ? plans.Get(S.Plan) : null;
        return new SessionAdmission(outcome, _balance, plan?.ConcurrencyLimit ?? 0, _activeSessions.Count, plan?.MaxSessionMinutes ?? 0, attempt);
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
