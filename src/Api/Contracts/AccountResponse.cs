using UFBrowsers.Customers;

namespace UFBrowsers.Api.Contracts;

public sealed record AccountResponse(
    string CustomerId,
    string Name,
    PlanResponse Plan,
    SubscriptionStatus Status,
    long Balance,
    ConcurrencyResponse Concurrency,
    TenantResponse Tenant,
    DateTimeOffset CreatedAt)
{
    public static AccountResponse From(Account a) => new(
        a.CustomerId, a.Name,
        new PlanResponse(a.Plan.Name, a.Plan.MonthlyPriceCents, a.Plan.CreditsPerPeriod, a.Plan.ConcurrencyLimit, a.Plan.MaxSessionMinutes),
        a.Status, a.Balance, new ConcurrencyResponse(a.SessionsInUse, a.Plan.ConcurrencyLimit),
        new TenantResponse(a.TenantNamespace, a.TenantProvisioned), a.CreatedAt);
}

public sealed record PlanResponse(string Name, long MonthlyPriceCents, long CreditsPerPeriod, int ConcurrencyLimit, int MaxSessionMinutes);

public sealed record ConcurrencyResponse(int Used, int Limit);

public sealed record TenantResponse(string Namespace, bool Provisioned);
