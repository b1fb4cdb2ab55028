using UFBrowsers.ApiKeys;

namespace UFBrowsers.Grains.ApiKeys;

[GenerateSerializer, Alias("ufb.ApiKeyDirectoryState")]
public sealed class ApiKeyDirectoryState
{
    [Id(0)]
    public List<ApiKeyInfo> Keys { get; set; } = [];
}
