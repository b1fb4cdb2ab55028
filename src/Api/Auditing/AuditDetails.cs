namespace UFBrowsers.Api.Auditing;

/// <summary>
/// Who did what, for an endpoint whose caller is not an API key or the operator (Stripe's webhook): the endpoint puts it in
/// <see cref="HttpContext.Items"/> under <see cref="Key"/> and <see cref="AuditFilter"/> records it with the outcome.
/// </summary>
internal sealed record AuditDetails(string ActorType, string? ActorId, string? CustomerId, string? Target)
{
    public const string Key = "ufb.audit";
}
