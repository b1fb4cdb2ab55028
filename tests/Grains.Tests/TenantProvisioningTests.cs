using UFBrowsers.Customers;
using UFBrowsers.Grains.Customers;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.Tenants;

namespace UFBrowsers.Grains.Tests;

/// <summary>The subscription drives the tenant through the (local) provisioner; the Kubernetes adapter is tested in Kubernetes.Tests.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantProvisioningTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Activation_provisions_the_tenant_and_sessions_start()
    {
        var id = "cus_" + Guid.NewGuid().ToString("N")[..12];
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
        await customer.Create("Tenant test", "starter");
        Assert.False((await customer.GetAccount())!.TenantProvisioned);

        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));
        await customer.AdjustCredits(10, "grant", "grant:" + id);

        Assert.True(account.TenantProvisioned);
        var spec = fixture.TenantProvisioner.Tenants[TenantNamespace.For(id)];
        Assert.Equal(("starter", 2), (spec.Plan.Name, spec.Plan.ConcurrencyLimit));
        var status = await fixture.Grains.GetGrain<ITenantGrain>(id).GetStatus();
        Assert.Equal((TenantGoal.Provisioned, true, true, 1), (status.Goal, status.Provisioned, status.Done, status.Attempts));

        var session = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var started = await session.Start(new SessionRequest(id, null, null));
        Assert.Equal(SessionStartOutcome.Started, started.Outcome);
        await session.End(EndReason.Client);
    }

    [Fact]
    public async Task A_plan_change_reprovisions_with_the_new_plan_and_cancellation_tears_down()
    {
        var id = "cus_" + Guid.NewGuid().ToString("N")[..12];
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
        await customer.Create("Tenant test", "starter");
        await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active));

        await customer.ChangeSubscription(new SubscriptionChange(Plan: "professional"));
        Assert.Equal(10, fixture.TenantProvisioner.Tenants[TenantNamespace.For(id)].Plan.ConcurrencyLimit);

        var cancelled = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Cancelled));

        Assert.False(cancelled.TenantProvisioned);
        Assert.False(fixture.TenantProvisioner.Tenants.ContainsKey(TenantNamespace.For(id)));
        Assert.Contains(TenantNamespace.For(id), fixture.TenantProvisioner.TornDown);
        var status = await fixture.Grains.GetGrain<ITenantGrain>(id).GetStatus();
        Assert.Equal((TenantGoal.TornDown, false, true), (status.Goal, status.Provisioned, status.Done));
    }

    [Fact]
    public async Task The_operator_override_still_wins_over_the_provisioner()
    {
        var id = "cus_" + Guid.NewGuid().ToString("N")[..12];
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
        await customer.Create("Tenant test", "starter");

        var account = await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: false));

        Assert.False(account.TenantProvisioned);
        Assert.True((await fixture.Grains.GetGrain<ITenantGrain>(id).GetStatus()).Provisioned);
    }

    [Fact]
    public async Task A_late_provisioned_report_does_not_reopen_a_cancelled_customer()
    {
        var customer = await TestCustomers.Active(fixture.Grains);
        await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Cancelled));

        await customer.SetTenantProvisioned(true);

        Assert.False((await customer.GetAccount())!.TenantProvisioned);
    }
}
