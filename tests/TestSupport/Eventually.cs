namespace UFBrowsers.TestSupport;

public static class Eventually
{
    /// <summary>
    /// Waits (generously, for a loaded machine) until <paramref name="condition"/> holds, and returns how long that took;
    /// the caller asserts the outcome after. A condition that throws counts as not yet.
    /// </summary>
    public static async Task<TimeSpan> Until(Func<Task<bool>> condition, int seconds = 20)
    {
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not yet: a silo may still be coming back.
            }

            await Task.Delay(50);
        }

        return DateTime.UtcNow - started;
    }
}
