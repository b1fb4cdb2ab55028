namespace UFBrowsers.Persistence.Tests.TestGrains;

public interface IStateProbeGrain : IGrainWithGuidKey
{
    Task WriteAsync(string value);

    Task<string?> ReadAsync();
}
