namespace UFBrowsers.Grains.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Waits (generously, for a loaded machine) until <paramref name="condition"/> holds; the caller asserts after.</summary>
    public static async Task Until(Func<Task<bool>> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }
    }
}
