namespace UFBrowsers.Grains.ApiKeys;

[GenerateSerializer, Alias("ufb.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)]
    public string? CustomerId { get; set; }

    [Id(1)]
    public byte[] SecretHash { get; set; } = [];

    [Id(2)]
    public bool Revoked { get; set; }
}
