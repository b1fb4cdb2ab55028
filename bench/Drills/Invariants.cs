using UFBrowsers.Customers;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// The checks after every drill, one summary line each: ledgers agree, balances are grants minus the sessions'
/// charges, every hold became a session or was refunded, no session outlives its deadline or its browser, no session is
/// charged more than the minutes its browser was alive plus one, and no live pod is without a session.
/// </summary>
internal static class Invariants
{
    /// <summary>Slack for a session's own timer, which fires at its deadline, to have run.</summary>
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(2);

    public static async Task<bool> CheckAsync(
        string drill,
        IGrainFactory grains,
        IReadOnlyList<DrillCustomer> customers,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> trackedSessions,
        IReadOnlyList<FakePodProvider> livePods)
    {
        var ok = true;
        var views = new Dictionary<string, SessionView?>(StringComparer.Ordinal);
        var mismatchedLedgers = 0;
        var mismatchedCharges = 0;
        var unrefundedHolds = new List<string>();
        var holdsRefunded = 0;
        long charged = 0;
        foreach (var customer in customers)
        {
            var grain = grains.GetGrain<ICustomerGrain>(customer.Id);
            var audit = await grain.AuditLedger();
            if (!audit.Agrees)
            {
                mismatchedLedgers++;
                Console.WriteLine($"[{drill}]   ledger of {customer.Id}: grain {audit.BalanceInGrain}, ledger sum {audit.LedgerSum}, last entry {audit.LastEntryBalance}");
            }

            var ids = new HashSet<string>(trackedSessions.GetValueOrDefault(customer.Id) ?? [], StringComparer.Ordinal);
            long? before = null;
            do
            {
                var page = await grain.ListSessions(null, 500, before);
                ids.UnionWith(page.Sessions.Select(s => s.SessionId));
                before = page.NextBefore;
            }
            while (before is not null);

            var customerViews = await Task.WhenAll(ids.Select(async id => (Id: id, View: await grains.GetGrain<ISessionGrain>(id).Get())));
            var customerCharged = customerViews.Sum(v => v.View?.CreditsCharged ?? 0);
            charged += customerCharged;
            foreach (var (id, view) in customerViews)
            {
                views[id] = view;
            }

            // Every session's entries add up to what it was charged; one that never started, to nothing (its hold refunded).
            var paidBySession = await PaidBySession(grain);
            foreach (var (id, view) in customerViews)
            {
                var paid = paidBySession.GetValueOrDefault(id);
                if (paid != (view?.CreditsCharged ?? 0))
                {
                    unrefundedHolds.Add($"{id} ({view?.Status.ToString() ?? "never started"}): entries {-paid}, charged {view?.CreditsCharged ?? 0}");
                }
                else if (view is null && paidBySession.ContainsKey(id))
                {
                    holdsRefunded++;
                }
            }

            if (audit.BalanceInGrain != customer.Granted - customerCharged)
            {
                mismatchedCharges++;
                Console.WriteLine($"[{drill}]   charges of {customer.Id}: balance {audit.BalanceInGrain}, granted {customer.Granted} - sessions' charges {customerCharged} = {customer.Granted - customerCharged}");
            }
        }

        ok &= Report(drill, "ledger", mismatchedLedgers == 0,
            $"{customers.Count} customers, {customers.Count - mismatchedLedgers} with balance == sum of ledger, {mismatchedLedgers} mismatches");
        ok &= Report(drill, "charges", mismatchedCharges == 0,
            $"{customers.Count} customers, {customers.Count - mismatchedCharges} with balance == grants - charges of their {views.Count} sessions " +
            $"({charged} credits charged), {mismatchedCharges} mismatches");
        foreach (var line in unrefundedHolds.Take(5))
        {
            Console.WriteLine($"[{drill}]   {line}");
        }

        ok &= Report(drill, "holds", unrefundedHolds.Count == 0,
            $"{views.Count} sessions: every one's ledger entries == its charge ({holdsRefunded} holds of starts that never finished, refunded), {unrefundedHolds.Count} mismatches");

        var now = DateTimeOffset.UtcNow;
        var started = views.Values.OfType<SessionView>().ToList();
        var active = started.Count(v => v.Status == SessionStatus.Active);
        var overdue = started.Where(v => v.Status == SessionStatus.Active && v.ExpiresAt + DeadlineSlack < now).ToList();
        var byReason = string.Join(", ", started.Where(v => v.EndReason is not null).GroupBy(v => v.EndReason!.Value)
            .OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
        ok &= Report(drill, "deadlines", overdue.Count == 0,
            $"{views.Count} sessions: {views.Count - started.Count} never started, {active} active, {started.Count - active} ended ({byReason}); " +
            $"{overdue.Count} active past their deadline");

        ok &= CheckBrowserLives(drill, started, livePods, now);
        ok &= await CheckPodsAsync(drill, grains, views, livePods);
        return ok;
    }

    /// <summary>
    /// Every session is charged no more than the minutes its browser was alive (from the session's start until the pod was
    /// deleted, lost or killed with its silo) plus one, and no active session is without a live browser.
    /// </summary>
    private static bool CheckBrowserLives(string drill, IReadOnlyList<SessionView> started, IReadOnlyList<FakePodProvider> providers, DateTimeOffset now)
    {
        var overcharged = new List<string>();
        var activeWithoutBrowser = new List<string>();
        var worst = 0.0;
        foreach (var view in started)
        {
            var podId = view.ConnectUrl?.Split('/')[^1];
            var lifetime = providers.Select(p => podId is not null && p.Lifetimes.TryGetValue(podId, out var l) ? l : ((DateTimeOffset, DateTimeOffset?)?)null)
                .FirstOrDefault(l => l is not null);
            if (lifetime is not { } life)
            {
                continue;
            }

            var alive = ((life.Item2 ?? now) - view.CreatedAt).TotalMinutes;
            worst = Math.Max(worst, view.CreditsCharged - Math.Max(0, alive));
            if (view.CreditsCharged > Math.Max(0, alive) + 1)
            {
                overcharged.Add($"{view.Id}: charged {view.CreditsCharged} for a browser alive {Math.Max(0, alive):F2} min ({view.EndReason})");
            }

            if (view.Status == SessionStatus.Active && life.Item2 is not null)
            {
                activeWithoutBrowser.Add($"{view.Id}: active, its browser gone since {life.Item2:O}");
            }
        }

        foreach (var line in overcharged.Concat(activeWithoutBrowser).Take(5))
        {
            Console.WriteLine($"[{drill}]   {line}");
        }

        return Report(drill, "browser life", overcharged.Count == 0 && activeWithoutBrowser.Count == 0,
            $"{started.Count} sessions: {overcharged.Count} charged more than the minutes their browser was alive + 1 (largest excess {worst:F2} credits over alive minutes), " +
            $"{activeWithoutBrowser.Count} active without a live browser");
    }

    private static async Task<Dictionary<string, long>> PaidBySession(ICustomerGrain customer)
    {
        var paid = new Dictionary<string, long>(StringComparer.Ordinal);
        long? before = null;
        do
        {
            var page = await customer.GetLedger(1000, before);
            foreach (var entry in page.Entries)
            {
                if (entry.SessionId is { } id)
                {
                    paid[id] = paid.GetValueOrDefault(id) - entry.Amount;
                }
            }

            before = page.NextBefore;
        }
        while (before is not null);

        return paid;
    }

    private static async Task<bool> CheckPodsAsync(
        string drill, IGrainFactory grains, IReadOnlyDictionary<string, SessionView?> views, IReadOnlyList<FakePodProvider> providers)
    {
        var pools = providers.SelectMany(p => p.Live.Values).Select(pod => pod.NodePool).Distinct().ToList();
        var warm = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            warm.UnionWith((await grains.GetGrain<IPodPoolGrain>(pool).GetInventory()).Ready);
        }

        var live = 0;
        var serving = 0;
        var orphans = new List<string>();
        foreach (var provider in providers)
        {
            foreach (var podId in provider.Live.Keys)
            {
                live++;
                if (warm.Contains(podId))
                {
                    continue;
                }

                if (provider.Assignments.TryGetValue(podId, out var assignment) &&
                    (views.TryGetValue(assignment.SessionId, out var view) ? view : await grains.GetGrain<ISessionGrain>(assignment.SessionId).Get())
                    is { Status: SessionStatus.Active })
                {
                    serving++;
                }
                else
                {
                    orphans.Add(podId);
                }
            }
        }

        foreach (var podId in orphans.Take(5))
        {
            Console.WriteLine($"[{drill}]   pod without a session: {podId}");
        }

        return Report(drill, "pods", orphans.Count == 0,
            $"{live} live pods: {warm.Count} warm in their pool, {serving} serving an active session, {orphans.Count} without a session");
    }

    public static bool Report(string drill, string check, bool passed, string detail)
    {
        Console.WriteLine($"[{drill}] {(passed ? "PASS" : "FAIL")} {check}: {detail}");
        return passed;
    }
}
