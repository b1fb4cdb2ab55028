using UFBrowsers.Customers;

namespace UFBrowsers.Api.Contracts;

public sealed record LedgerEntryResponse(long Id, LedgerEntryKind Kind, long Amount, long BalanceAfter, string? SessionId, string Reason, DateTimeOffset At)
{
    public static LedgerEntryResponse From(LedgerEntry e) => new(e.Id, e.Kind, e.Amount, e.BalanceAfter, e.SessionId, e.Reason, e.At);
}
