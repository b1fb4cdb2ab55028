using System.Text.Json.Nodes;
using UFBrowsers.Customers;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;
using UFBrowsers.Silo.Kubernetes;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>The pool grains, sessions and reconciler running on the Kubernetes pod provider against the fake API server.</summary>
[Collection(KubernetesClusterCollection.Name)]
public sealed class PodPoolOnKubernetesTests(KubernetesClusterFixture fixture)
{
    [Fact]
    public async Task A_warm_pod_is_handed_out_labelled_deleted_after_its_session_and_the_pool_refills()
    {
        var (id, _) = await ActiveCustomer();
        var pool = fixture.Grains.GetGrain<IPodPoolGrain>("default");
        await pool.Warm();
        await Eventually.True(async () => (await pool.GetStatus()).Ready >= 1, TimeSpan.FromSeconds(15), "the pool has a warm pod");
        var warm = (await pool.GetInventory()).Ready[0];
        Assert.StartsWith("ufb-pool/", warm, StringComparison.Ordinal);
        Assert.False(Labels(warm).ContainsKey("ufbrowsers.io/session"));

        var sessionId = SessionIds.New();
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);
        var started = await session.Start(new SessionRequest(id));

        Assert.Equal(SessionStartOutcome.Started, started.Outcome);
        Assert.Equal(sessionId, (await pool.GetInventory()).AssignedToSession[warm]);
        Assert.Equal(sessionId, Labels(warm)["ufbrowsers.io/session"]);
        Assert.Equal(id, Labels(warm)["ufbrowsers.io/tenant"]);
        Assert.Equal("default", Labels(warm)["ufbrowsers.io/pool"]);

        await session.End(EndReason.Client);

        Assert.NotNull(Pod(warm)!["metadata"]!["deletionTimestamp"]);
        await Eventually.True(() => Task.FromResult(Pod(warm) is null), TimeSpan.FromSeconds(15), "the pod is gone after its grace period");
        await Eventually.True(async () => (await pool.GetInventory()).Ready.Any(p => p != warm), TimeSpan.FromSeconds(15), "the pool refills");
    }

    [Fact]
    public async Task An_empty_pool_makes_an_on_demand_pod_in_the_tenant_namespace()
    {
        var (id, account) = await ActiveCustomer();
        var sessionId = SessionIds.New();
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);

        Assert.Equal(SessionStartOutcome.Started, (await session.Start(new SessionRequest(id, "burst"))).Outcome);

        var podId = Assert.Single((await fixture.Grains.GetGrain<IPodPoolGrain>("burst").GetInventory()).AssignedToSession, a => a.Value == sessionId).Key;
        Assert.StartsWith(account.TenantNamespace + "/", podId, StringComparison.Ordinal);
        Assert.Equal(sessionId, Labels(podId)["ufbrowsers.io/session"]);

        await session.End(EndReason.Client);

        Assert.NotNull(Pod(podId)!["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task A_customer_at_its_limit_who_ends_a_session_gets_the_next_browser_while_the_old_pod_terminates()
    {
        var (id, account) = await ActiveCustomer("starter");
        var sessions = new List<ISessionGrain>();
        for (var i = 0; i < 2; i++)
        {
            var s = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
            Assert.Equal(SessionStartOutcome.Started, (await s.Start(new SessionRequest(id, "burst"))).Outcome);
            sessions.Add(s);
        }

        await sessions[0].End(EndReason.Client);
        Assert.Equal(2, fixture.Api.List("pods", account.TenantNamespace).Count);
        var next = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());

        var started = await next.Start(new SessionRequest(id, "burst"));

        Assert.Equal(SessionStartOutcome.Started, started.Outcome);
        Assert.True(fixture.Api.Requests.Count(r => r == $"POST /api/v1/namespaces/{account.TenantNamespace}/pods") >= 4, "the quota refused the pod at first");
        await next.End(EndReason.Client);
        await sessions[1].End(EndReason.Client);
    }

    [Fact]
    public async Task A_session_start_waiting_for_an_on_demand_pod_counts_as_waiting_in_its_pool()
    {
        var (id, _) = await ActiveCustomer();
        var pool = fixture.Grains.GetGrain<IPodPoolGrain>("burst");
        fixture.Api.PodStartDelay = TimeSpan.FromSeconds(2);
        try
        {
            var session = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
            var start = session.Start(new SessionRequest(id, "burst"));

            await Eventually.True(async () => (await pool.GetStatus()).Waiting == 1, TimeSpan.FromSeconds(10), "the start waits for its pod");
            Assert.Equal(SessionStartOutcome.Started, (await start).Outcome);
            Assert.Equal(0, (await pool.GetStatus()).Waiting);
            await session.End(EndReason.Client);
        }
        finally
        {
            fixture.Api.PodStartDelay = TimeSpan.FromMilliseconds(100);
        }
    }

    [Fact]
    public async Task The_reconciler_deletes_orphans_and_keeps_what_is_in_use()
    {
        var (id, account) = await ActiveCustomer();
        var live = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        await live.Start(new SessionRequest(id, "burst"));
        var ended = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        await ended.Start(new SessionRequest(id, "burst"));
        await ended.End(EndReason.Client);
        var old = DateTimeOffset.UtcNow.AddMinutes(-10);
        var unknownSession = SeedPod("ufb-pool", "orphan-unknown-session", old, session: SessionIds.New());
        var endedSession = SeedPod(account.TenantNamespace, "orphan-ended-session", old, session: ended.GetPrimaryKeyString());
        var unassigned = SeedPod("ufb-pool", "orphan-warm", old);
        var failed = SeedPod("ufb-pool", "orphan-failed", old, phase: "Failed");
        var young = SeedPod("ufb-pool", "young-unknown", DateTimeOffset.UtcNow);
        var liveLabelled = SeedPod(account.TenantNamespace, "old-live-session", old, session: live.GetPrimaryKeyString());
        var otherInstallation = SeedPod("ufb-pool", "another-installations-warm-pod", old, owner: "another-install");

        var report = await fixture.Reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Superset(new HashSet<string> { unknownSession, endedSession, unassigned, failed }, report.DeletedOrphans.ToHashSet());
        foreach (var orphan in new[] { unknownSession, endedSession, unassigned, failed })
        {
            Assert.True(Pod(orphan) is null || Pod(orphan)!["metadata"]!["deletionTimestamp"] is not null, orphan);
        }

        Assert.NotNull(Pod(young));
        Assert.NotNull(Pod(liveLabelled));
        Assert.NotNull(Pod(otherInstallation));
        Assert.Null(Pod(otherInstallation)!["metadata"]!["deletionTimestamp"]);
        Assert.DoesNotContain(otherInstallation, report.DeletedOrphans);
        Assert.Equal(SessionStatus.Active, (await live.Get())!.Status);
        await live.End(EndReason.Client);
        fixture.Api.Remove("pods", "ufb-pool", "young-unknown");
        fixture.Api.Remove("pods", account.TenantNamespace, "old-live-session");
        fixture.Api.Remove("pods", "ufb-pool", "another-installations-warm-pod");
    }

    [Fact]
    public async Task A_session_whose_pod_vanished_is_ended_as_pod_failed_and_billed_for_time_used()
    {
        var (id, account) = await ActiveCustomer();
        var sessionId = SessionIds.New();
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);
        await session.Start(new SessionRequest(id, "burst"));
        var pool = fixture.Grains.GetGrain<IPodPoolGrain>("burst");
        var podId = (await pool.GetInventory()).AssignedToSession.Single(a => a.Value == sessionId).Key;
        var (ns, name) = KubernetesPodProvider.ParsePodId(podId);
        Assert.True(fixture.Api.Remove("pods", ns, name));

        var report = await fixture.Reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Contains(podId, report.ReportedLost);
        var view = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.PodFailed, 1L), (view.Status, view.EndReason, view.CreditsCharged));
        Assert.DoesNotContain(podId, (await pool.GetInventory()).AssignedToSession.Keys);
        Assert.Equal(9, (await fixture.Grains.GetGrain<ICustomerGrain>(id).GetAccount())!.Balance);
    }

    private async Task<(string Id, Account Account)> ActiveCustomer(string plan = "professional")
    {
        var id = "cus-" + Guid.NewGuid().ToString("N")[..10];
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
        await customer.Create("Pool test", plan);
        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));
        await customer.AdjustCredits(10, "grant", "grant:" + id);
        Assert.True(account.TenantProvisioned);
        return (id, account);
    }

    private string SeedPod(string ns, string name, DateTimeOffset createdAt, string? session = null, string phase = "Running", string owner = "ufbrowsers")
    {
        var labels = new JsonObject
        {
            ["app.kubernetes.io/managed-by"] = "ufbrowsers",
            ["app.kubernetes.io/component"] = "browser",
            ["ufbrowsers.io/owner"] = owner,
            ["ufbrowsers.io/pool"] = ns == "ufb-pool" ? "default" : "burst",
        };
        if (session is not null)
        {
            labels["ufbrowsers.io/session"] = session;
        }

        fixture.Api.Seed("pods", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
            ["status"] = new JsonObject { ["phase"] = phase, ["podIP"] = "127.0.0.1" },
        }, createdAt);
        return KubernetesPodProvider.PodId(ns, name);
    }

    private JsonObject? Pod(string podId)
    {
        var (ns, name) = KubernetesPodProvider.ParsePodId(podId);
        return fixture.Api.Get("pods", ns, name);
    }

    private Dictionary<string, string> Labels(string podId) =>
        Pod(podId)!["metadata"]!["labels"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());
}
