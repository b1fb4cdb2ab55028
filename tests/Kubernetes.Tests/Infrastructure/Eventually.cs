namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task True(Func<Task<bool>> condition, TimeSpan timeout, string because, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds} s: {because}. {(describe is null ? "" : await describe())}");
            }

            await Task.Delay(100);
        }
    }
}
