using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Billing;

/// <summary>
/// A customer's ledger: append-only entries, each under an idempotency key that can be applied once.
/// The balance is the running sum, so it always equals the sum of the entries.
/// </summary>
[GenerateSerializer, Alias("ufb.Ledger")]
public sealed class Ledger
{
    [NonSerialized]
    private Dictionary<string, LedgerEntry>? _byKey;

    [Id(0)]
    public List<LedgerEntry> Entries { get; set; } = [];

    public long Balance => Entries.Count == 0 ? 0 : Entries[^1].BalanceAfter;

    public LedgerEntry? Find(string idempotencyKey) => Index().GetValueOrDefault(idempotencyKey);

    /// <summary>Appends an entry, or returns the one already written under the same key (and changes nothing).</summary>
    public (LedgerEntry Entry, bool Created) Post(
        LedgerEntryKind kind, long amount, string? sessionId, string reason, string idempotencyKey, DateTimeOffset at)
    {
        if (Find(idempotencyKey) is { } existing)
        {
            return (existing, false);
        }

        var entry = new LedgerEntry(Entries.Count + 1, kind, amount, Balance + amount, sessionId, reason, at, idempotencyKey);
        Entries.Add(entry);
        Index()[idempotencyKey] = entry;
        return (entry, true);
    }

    /// <summary>Entries newest first, starting below the entry id <paramref name="before"/>.</summary>
    public LedgerPage Page(int limit, long? before)
    {
        var end = (int)Math.Clamp(before.HasValue ? before.Value - 1 : Entries.Count, 0, Entries.Count);
        var start = Math.Max(0, end - limit);
        var page = new List<LedgerEntry>(end - start);
        for (var i = end - 1; i >= start; i--)
        {
            page.Add(Entries[i]);
        }

        return new LedgerPage(page, start > 0 ? Entries[start].Id : null);
    }

    private Dictionary<string, LedgerEntry> Index() =>
        _byKey ??= Entries.ToDictionary(e => e.IdempotencyKey, StringComparer.Ordinal);
}
