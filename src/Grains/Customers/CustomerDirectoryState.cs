namespace UFBrowsers.Grains.Customers;

[GenerateSerializer, Alias("ufb.CustomerDirectoryState")]
public sealed class CustomerDirectoryState
{
    [Id(0)]
    public SortedSet<string> CustomerIds { get; set; } = new(StringComparer.Ordinal);
}
