using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Billing;

/// <summary>Session spending per UTC day, read from the ledger: grants and operator adjustments are not usage.</summary>
public static class UsageReport
{
    public static IReadOnlyList<DailyUsage> Daily(IReadOnlyList<LedgerEntry> entries, DateOnly lastDay, int days)
    {
        var firstDay = lastDay.AddDays(1 - days);
        var credits = new long[days];
        // Entries are in ledger order (oldest first), so walk back from the newest until before the window.
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var entry = entries[i];
            var day = DateOnly.FromDateTime(entry.At.UtcDateTime);
            if (day < firstDay)
            {
                break;
            }

            if (day <= lastDay && entry.Kind is LedgerEntryKind.Hold or LedgerEntryKind.Charge or LedgerEntryKind.Refund)
            {
                credits[day.DayNumber - firstDay.DayNumber] -= entry.Amount;
            }
        }

        return credits.Select((c, i) => new DailyUsage(firstDay.AddDays(i), c)).ToList();
    }
}
