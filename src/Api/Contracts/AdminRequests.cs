using System.ComponentModel.DataAnnotations;
using UFBrowsers.Api.Contracts.Validation;
using UFBrowsers.Customers;

namespace UFBrowsers.Api.Contracts;

public sealed record CreateCustomerRequest(
    string? Id,
    [property: Required, StringLength(200), PlainText] string? Name,
    [property: Required, StringLength(200), PlainText] string? Plan);

public sealed record CreateCustomerResponse(AccountResponse Account, ApiKeyResponse ApiKey);

public sealed record ChangeSubscriptionRequest([property: StringLength(200), PlainText] string? Plan, SubscriptionStatus? Status, bool? TenantProvisioned);

public sealed record CreditAdjustmentRequest(long Amount, [property: Required, StringLength(200), PlainText] string? Reason);
