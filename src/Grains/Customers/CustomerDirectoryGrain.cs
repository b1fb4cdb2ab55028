using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Customers;

public sealed class CustomerDirectoryGrain(
    [PersistentState("customers", StorageNames.Grains)] IPersistentState<CustomerDirectoryState> state) : Grain, ICustomerDirectoryGrain
{
    public async Task Register(string customerId)
    {
        if (state.State.CustomerIds.Add(customerId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List(int limit, string? after)
    {
        var ids = state.State.CustomerIds;
        var page = after is null
            ? ids.Take(limit)
            : ids.Where(id => string.CompareOrdinal(id, after) > 0).Take(limit);
        return Task.FromResult<IReadOnlyList<string>>(page.ToList());
    }
}
