using UFBrowsers.Customers;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.Tenants;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>The subscription drives a tenant through the Kubernetes provisioner, retries included.</summary>
[Collection(KubernetesClusterCollection.Name)]
public sealed class TenantGrainTests(KubernetesClusterFixture fixture)
{
    [Fact]
    public async Task Activation_provisions_the_namespace_and_then_sessions_start()
    {
        var (id, customer) = await NewCustomer();

        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));
        await customer.AdjustCredits(10, "grant", "grant:" + id);

        Assert.True(account.TenantProvisioned);
        Assert.NotNull(fixture.Api.Get("namespaces", null, account.TenantNamespace));
        Assert.NotNull(fixture.Api.Get("networkpolicies", account.TenantNamespace, "ufb-isolation"));
        var session = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var started = await session.Start(new SessionRequest(id, "burst"));
        Assert.Equal(SessionStartOutcome.Started, started.Outcome);
        await session.End(EndReason.Client);
    }

    [Fact]
    public async Task A_failing_api_is_retried_by_the_reminder_until_the_tenant_is_provisioned()
    {
        var (id, customer) = await NewCustomer();
        fixture.Api.Fail("POST", "namespaces", times: 3);

        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));
        await customer.AdjustCredits(10, "grant", "grant:" + id);

        Assert.False(account.TenantProvisioned);
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(id);
        var first = await tenant.GetStatus();
        Assert.Equal((false, 1), (first.Done, first.Attempts));
        Assert.NotNull(first.LastError);
        Assert.NotNull(first.NextAttemptAt);
        var refused = await fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New()).Start(new SessionRequest(id, "burst"));
        Assert.Equal(SessionStartOutcome.TenantNotProvisioned, refused.Outcome);

        await Eventually.True(async () => (await customer.GetAccount())!.TenantProvisioned, TimeSpan.FromSeconds(30), "the customer hears its tenant is provisioned", async () => $"{await tenant.GetStatus()}");

        var done = await tenant.GetStatus();
        Assert.Equal((true, true, 4), (done.Done, done.Provisioned, done.Attempts));
        Assert.Null(done.LastError);
        Assert.NotNull(fixture.Api.Get("limitranges", account.TenantNamespace, "ufb-limits"));
        var session = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        Assert.Equal(SessionStartOutcome.Started, (await session.Start(new SessionRequest(id, "burst"))).Outcome);
        await session.End(EndReason.Client);
    }

    [Fact]
    public async Task Cancellation_tears_the_namespace_down_even_after_a_failed_delete()
    {
        var (_, customer) = await NewCustomer();
        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));
        fixture.Api.Fail("DELETE", "namespaces");

        var cancelled = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Cancelled));

        Assert.False(cancelled.TenantProvisioned);
        Assert.NotNull(fixture.Api.Get("namespaces", null, account.TenantNamespace));
        await Eventually.True(() => Task.FromResult(fixture.Api.Get("namespaces", null, account.TenantNamespace) is null), TimeSpan.FromSeconds(30), "the namespace is deleted");
        Assert.Empty(fixture.Api.List("resourcequotas", account.TenantNamespace));
        var status = await fixture.Grains.GetGrain<ITenantGrain>(account.CustomerId).GetStatus();
        Assert.Equal((TenantGoal.TornDown, false, 2), (status.Goal, status.Provisioned, status.Attempts));
        Assert.False((await customer.GetAccount())!.TenantProvisioned);
    }

    [Fact]
    public async Task Subscribing_again_while_the_old_namespace_terminates_is_retried_until_it_is_gone()
    {
        var (id, customer) = await NewCustomer();
        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));
        await customer.AdjustCredits(10, "grant", "grant:" + id);
        var session = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        Assert.Equal(SessionStartOutcome.Started, (await session.Start(new SessionRequest(id, "burst"))).Outcome);
        await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Cancelled));
        Assert.Equal("Terminating", fixture.Api.Get("namespaces", null, account.TenantNamespace)!["status"]!["phase"]!.GetValue<string>());

        var again = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));

        Assert.False(again.TenantProvisioned);
        Assert.Contains("still being deleted", (await fixture.Grains.GetGrain<ITenantGrain>(id).GetStatus()).LastError, StringComparison.Ordinal);
        await Eventually.True(async () => (await customer.GetAccount())!.TenantProvisioned, TimeSpan.FromSeconds(30), "the tenant is provisioned once the old namespace is gone");
        var ns = fixture.Api.Get("namespaces", null, account.TenantNamespace)!;
        Assert.Equal("Active", ns["status"]!["phase"]!.GetValue<string>());
        Assert.NotNull(fixture.Api.Get("resourcequotas", account.TenantNamespace, "ufb-quota"));
    }

    [Fact]
    public async Task A_namespace_taken_by_someone_else_keeps_the_tenant_unprovisioned_and_untouched()
    {
        var (id, customer) = await NewCustomer();
        var name = UFBrowsers.Grains.Customers.TenantNamespace.For(id);
        fixture.Api.Seed("namespaces", KubernetesPodProviderTests.Namespace(name, owner: "another-install"));

        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));

        Assert.False(account.TenantProvisioned);
        Assert.Contains("belongs to installation 'another-install'", (await fixture.Grains.GetGrain<ITenantGrain>(id).GetStatus()).LastError, StringComparison.Ordinal);
        Assert.Empty(fixture.Api.List("resourcequotas", name));
        await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Cancelled));
        Assert.Null(fixture.Api.Get("namespaces", null, name)!["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task A_plan_change_updates_the_quota()
    {
        var (_, customer) = await NewCustomer(plan: "starter");
        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));
        Assert.Equal("2", PodQuota(account.TenantNamespace));

        await customer.ChangeSubscription(new SubscriptionChange(Plan: "professional"));

        Assert.Equal("10", PodQuota(account.TenantNamespace));
    }

    private string PodQuota(string tenantNamespace) =>
        fixture.Api.Get("resourcequotas", tenantNamespace, "ufb-quota")!["spec"]!["hard"]!["pods"]!.GetValue<string>();

    private async Task<(string Id, ICustomerGrain Customer)> NewCustomer(string plan = "professional")
    {
        var id = "cus-" + Guid.NewGuid().ToString("N")[..10];
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
        await customer.Create("Kubernetes tenant", plan);
        return (id, customer);
    }
}
