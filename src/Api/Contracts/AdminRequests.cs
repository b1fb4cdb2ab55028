using UFBrowsers.Customers;

namespace UFBrowsers.Api.Contracts;

public sealed record CreateCustomerRequest(string? Id, string? Name, string? Plan);

public sealed record CreateCustomerResponse(AccountResponse Account, ApiKeyResponse ApiKey);

public sealed record ChangeSubscriptionRequest(string? Plan, SubscriptionStatus? Status, bool? TenantProvisioned);

public sealed record CreditAdjustmentRequest(long Amount, string? Reason);
