using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;

namespace UFBrowsers.Grains.Tests;

public sealed class UsageReportTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    [Fact]
    public void Counts_holds_and_charges_less_refunds_per_utc_day_and_ignores_grants_and_adjustments()
    {
        var entries = new List<LedgerEntry>
        {
            Entry(LedgerEntryKind.Grant, 5000, "2026-10-01T08:00:00Z"),
            Entry(LedgerEntryKind.Hold, -1, "2026-10-31T23:59:00Z"),
            Entry(LedgerEntryKind.Hold, -1, "2026-11-29T10:00:00Z"),
            Entry(LedgerEntryKind.Charge, -3, "2026-11-29T10:05:00Z"),
            Entry(LedgerEntryKind.Adjustment, -10, "2026-11-29T11:00:00Z"),
            Entry(LedgerEntryKind.Hold, -1, "2026-11-30T00:30:00+02:00"),
            Entry(LedgerEntryKind.Refund, 1, "2026-11-30T09:00:00Z"),
            Entry(LedgerEntryKind.Hold, -1, "2026-11-30T09:30:00Z"),
        };

        var days = UsageReport.Daily(entries, Today, 30);

        Assert.Equal(30, days.Count);
        Assert.Equal(new DateOnly(2026, 11, 1), days[0].Day);
        Assert.Equal(Today, days[^1].Day);
        // 29 Nov: hold + charge, plus the hold at 00:30 +02:00, which is still 29 Nov in UTC.
        Assert.Equal(5, days.Single(d => d.Day == new DateOnly(2026, 11, 29)).Credits);
        // 30 Nov: a refund and a hold cancel out.
        Assert.Equal(0, days[^1].Credits);
        // 31 Oct is outside the window.
        Assert.Equal(5, days.Sum(d => d.Credits));
    }

    private static LedgerEntry Entry(LedgerEntryKind kind, long amount, string at) =>
        new(0, kind, amount, 0, null, kind.ToString(), DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), Guid.NewGuid().ToString());
}
