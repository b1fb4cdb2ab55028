using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Customers;
using UFBrowsers.Tenants;

namespace UFBrowsers.Grains.Tenants;

/// <summary>
/// Drives a tenant towards its goal through <see cref="ITenantProvisioner"/>. A call tries once and answers the caller
/// (the customer grain) with the outcome. Failed attempts are retried from a reminder with exponential backoff; when a
/// retry succeeds the customer grain is told through <see cref="ICustomerGrain.SetTenantProvisioned"/>.
/// </summary>
/// <remarks>
/// The customer grain awaits this grain, so this grain must never await the customer grain inside a turn, or the two
/// could wait on each other. The notification is therefore sent without awaiting it in the turn; its outcome is kept in
/// memory and the reminder stays registered until the customer has acknowledged the latest generation.
/// </remarks>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Grains)] IPersistentState<TenantState> state,
    ITenantProvisioner provisioner,
    IOptions<TenantOptions> options,
    TimeProvider clock,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain, IRemindable
{
    private const string RetryReminder = "tenant-retry";

    private long _acknowledgedGeneration = -1;
    private bool _notifying;

    private TenantState S => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    private string Namespace => TenantNamespace.For(CustomerId);

    public async Task<TenantStatus> Provision(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await StartGoal(TenantGoal.Provisioned, plan);
        return Status();
    }

    public async Task<TenantStatus> TearDown()
    {
        await StartGoal(TenantGoal.TornDown, S.Plan);
        return Status();
    }

    public Task<TenantStatus> GetStatus() => Task.FromResult(Status());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetryReminder)
        {
            return;
        }

        if (!S.Done && clock.GetUtcNow() >= (S.NextAttemptAt ?? DateTimeOffset.MinValue))
        {
            await Attempt();
        }

        if (!S.Done)
        {
            return;
        }

        if (_acknowledgedGeneration == S.Generation)
        {
            await SetReminder(false);
        }
        else
        {
            NotifyCustomer();
        }
    }

    private async Task StartGoal(TenantGoal goal, Plan? plan)
    {
        S.Goal = goal;
        S.Plan = plan;
        S.Generation++;
        S.Done = false;
        S.Attempts = 0;
        S.LastError = null;
        if (goal == TenantGoal.TornDown)
        {
            // From the first delete on, the tenant's objects can no longer be relied upon.
            S.Provisioned = false;
        }

        await Attempt();

        // The caller gets this outcome as its answer; only the outcome of a later retry has to be told to the customer.
        if (S.Done)
        {
            _acknowledgedGeneration = S.Generation;
        }

        await SetReminder(!S.Done);
    }

    private async Task Attempt()
    {
        S.Attempts++;
        using var timeout = new CancellationTokenSource(options.Value.AttemptTimeout);
        try
        {
            if (S.Goal == TenantGoal.Provisioned)
            {
                await provisioner.EnsureProvisionedAsync(new TenantSpec(CustomerId, Namespace, S.Plan!), timeout.Token);
                S.Provisioned = true;
            }
            else
            {
                await provisioner.TearDownAsync(Namespace, timeout.Token);
            }

            S.Done = true;
            S.LastError = null;
            S.NextAttemptAt = null;
            logger.LogInformation("Tenant {Namespace}: {Goal} after {Attempts} attempt(s)", Namespace, S.Goal, S.Attempts);
        }
        catch (Exception ex)
        {
            var wait = options.Value.Backoff(S.Attempts);
            S.LastError = ex.Message;
            S.NextAttemptAt = clock.GetUtcNow() + wait;
            logger.LogWarning(ex, "Tenant {Namespace}: attempt {Attempt} at {Goal} failed; retrying in {Wait}", Namespace, S.Attempts, S.Goal, wait);
        }

        await state.WriteStateAsync();
    }

    private async Task SetReminder(bool registered)
    {
        if (registered == S.ReminderRegistered)
        {
            return;
        }

        if (registered)
        {
            var period = options.Value.RetryPeriod;
            await this.RegisterOrUpdateReminder(RetryReminder, period, period);
        }
        else if (await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        S.ReminderRegistered = registered;
        await state.WriteStateAsync();
    }

    private void NotifyCustomer()
    {
        if (_notifying)
        {
            return;
        }

        _notifying = true;
        var generation = S.Generation;
        var provisioned = S.Provisioned;
        _ = Send();

        async Task Send()
        {
            try
            {
                await GrainFactory.For<ICustomerGrain>(CustomerId).SetTenantProvisioned(provisioned);
                _acknowledgedGeneration = generation;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Tenant {Namespace}: telling the customer failed; the next reminder tries again", Namespace);
            }
            finally
            {
                _notifying = false;
            }
        }
    }

    private TenantStatus Status() =>
        new(CustomerId, Namespace, S.Goal, S.Plan?.Name, S.Provisioned, S.Done, S.Attempts, S.LastError, S.NextAttemptAt);
}
