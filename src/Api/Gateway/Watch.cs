namespace UFBrowsers.Api.Gateway;

/// <summary>A connection's registration with the <see cref="SessionEndNotifier"/>; disposing it stops the watch.</summary>
public sealed class Watch(Action stop) : IDisposable
{
    private int _stopped;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            stop();
        }
    }
}
