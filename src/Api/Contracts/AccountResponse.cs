using UFBrowsers.Customers;
using UFBrowsers.Queue;

namespace UFBrowsers.Api.Contracts;

public sealed record AccountResponse(
    string CustomerId,
    string Name,
    PlanResponse Plan,
    SubscriptionStatus Status,
    long Balance,
    ConcurrencyResponse Concurrency,
    TenantResponse Tenant,
    DateTimeOffset CreatedAt,
    QueueResponse? Queue)
{
    public static AccountResponse From(Account a) => From(a, null);

    /// <summary>With the queue when the caller is the customer (operators see accounts without it).</summary>
    public static AccountResponse From(Account a, QueueSnapshot? queue) => new(
        a.CustomerId, a.Name,
        new PlanResponse(a.Plan.Name, a.Plan.MonthlyPriceCents, a.Plan.CreditsPerPeriod, a.Plan.ConcurrencyLimit, a.Plan.MaxSessionMinutes),
        a.Status, a.Balance, new ConcurrencyResponse(a.SessionsInUse, a.Plan.ConcurrencyLimit),
        new TenantResponse(a.TenantNamespace, a.TenantProvisioned), a.CreatedAt, queue is null ? null : QueueResponse.From(queue));
}

public sealed record PlanResponse(string Name, long MonthlyPriceCents, long CreditsPerPeriod, int ConcurrencyLimit, int MaxSessionMinutes);

public sealed record ConcurrencyResponse(int Used, int Limit);

public sealed record TenantResponse(string Namespace, bool Provisioned);
