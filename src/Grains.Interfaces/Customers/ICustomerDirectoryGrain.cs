namespace UFBrowsers.Customers;

/// <summary>The list of every customer id, for operators. A single activation, key <see cref="Key"/>.</summary>
[Alias("ufb.ICustomerDirectoryGrain")]
public interface ICustomerDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("Register")]
    Task Register(string customerId);

    [Alias("List")]
    Task<IReadOnlyList<string>> List(int limit, string? after);
}
