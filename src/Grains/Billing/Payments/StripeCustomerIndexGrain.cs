using UFBrowsers.Billing;

namespace UFBrowsers.Grains.Billing.Payments;

public sealed class StripeCustomerIndexGrain(
    [PersistentState("stripe-customer", StorageNames.Grains)] IPersistentState<StripeCustomerIndexState> state) : Grain, IStripeCustomerIndexGrain
{
    public Task<string?> GetCustomerId() => Task.FromResult(state.State.CustomerId);

    public async Task<string> Link(string customerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        if (state.State.CustomerId is null)
        {
            state.State.CustomerId = customerId;
            await state.WriteStateAsync();
        }

        return state.State.CustomerId;
    }
}
