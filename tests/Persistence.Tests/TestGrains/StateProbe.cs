namespace UFBrowsers.Persistence.Tests.TestGrains;

[GenerateSerializer]
public sealed class StateProbe
{
    [Id(0)]
    public string? Value { get; set; }
}
