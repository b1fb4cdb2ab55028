namespace UFBrowsers.TestSupport;

/// <summary>Generous waits for outcomes that take a while on a loaded machine; the assertion is on the outcome, not the time.</summary>
public static class Wait
{
    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), what, timeout);

    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }
}
