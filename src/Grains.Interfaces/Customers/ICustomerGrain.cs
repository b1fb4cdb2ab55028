using UFBrowsers.Sessions;

namespace UFBrowsers.Customers;

/// <summary>
/// One customer (key: customer id): plan, subscription, balance and its ledger, and the sessions it runs.
/// Every balance change goes through an idempotency key, so a retried call never moves money twice.
/// </summary>
[Alias("ufb.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Creates the customer; calling it again returns the existing account unchanged.</summary>
    [Alias("Create")]
    Task<Account> Create(string name, string plan);

    /// <summary>The account, or null when no customer has this id.</summary>
    [Alias("GetAccount")]
    Task<Account?> GetAccount();

    [Alias("ChangeSubscription")]
    Task<Account> ChangeSubscription(SubscriptionChange change);

    /// <summary>The tenant grain reports that the tenant became (or stopped being) provisioned after a retry.</summary>
    [Alias("SetTenantProvisioned")]
    Task SetTenantProvisioned(bool provisioned);

    [Alias("AdjustCredits")]
    Task<CreditAdjustment> AdjustCredits(long amount, string reason, string idempotencyKey);

    [Alias("GetLedger")]
    Task<LedgerPage> GetLedger(int limit, long? before);

    /// <summary>Session spending per UTC day for the <paramref name="days"/> days ending today, oldest first.</summary>
    [Alias("GetDailyUsage")]
    Task<IReadOnlyList<DailyUsage>> GetDailyUsage(int days);

    [Alias("ListSessions")]
    Task<SessionPage> ListSessions(SessionStatus? status, int limit, long? before);

    /// <summary>
    /// Checks that a session may start and takes its one-credit hold for start attempt <paramref name="attempt"/> (the hold's
    /// idempotency key). An attempt whose hold was refunded or settled before is skipped for the next one, so a session that
    /// lost count of its attempts can never reuse a spent hold. Admitting an admitted session again changes nothing.
    /// </summary>
    [Alias("AdmitSession")]
    Task<SessionAdmission> AdmitSession(string sessionId, int attempt);

    /// <summary>
    /// Pays minute <paramref name="minute"/> of a running session (minute 1 is the hold). Paying a minute already
    /// paid changes nothing; refused (nothing written) when the balance cannot pay.
    /// </summary>
    [Alias("PayMinute")]
    Task<DebitResult> PayMinute(string sessionId, long minute);

    /// <summary>
    /// Settles a session in one write: its final charge or refund, its record marked ended with the reason and end time,
    /// its concurrency slot freed. What it is charged follows the one rule for a short balance (src/Grains/Billing/SessionBilling).
    /// Settling again answers what was recorded the first time.
    /// </summary>
    [Alias("SettleSession")]
    Task<SessionSettlement> SettleSession(string sessionId, SessionEnd end);

    /// <summary>Undoes an admission whose session never started (no browser, or a start abandoned by a crash): refunds the hold, frees the slot.</summary>
    [Alias("CancelAdmission")]
    Task<long> CancelAdmission(string sessionId);

    /// <summary>The customer's record of a session: active, ended (with how), or null when it holds none (never admitted, or cancelled).</summary>
    [Alias("GetSessionRecord")]
    Task<SessionSummary?> GetSessionRecord(string sessionId);

    /// <summary>Compares the balance this grain holds with the ledger as stored.</summary>
    [Alias("AuditLedger")]
    Task<LedgerAudit> AuditLedger();

    /// <summary>
    /// Starts a paid credit period: whatever is left of the previous period expires and the balance becomes
    /// <paramref name="credits"/>. Keyed by <paramref name="periodKey"/> (the invoice that paid the period), so
    /// starting the same period again changes nothing. Returns the balance after.
    /// </summary>
    [Alias("StartCreditPeriod")]
    Task<long> StartCreditPeriod(long credits, string reason, string periodKey);
}
