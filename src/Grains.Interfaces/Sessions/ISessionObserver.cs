using Orleans.Concurrency;

namespace UFBrowsers.Sessions;

/// <summary>Told by a session the moment it ends, so that whoever holds its clients' connections can close them.</summary>
[Alias("ufb.ISessionObserver")]
public interface ISessionObserver : IGrainObserver
{
    [OneWay, Alias("SessionEnded")]
    Task SessionEnded(string sessionId, EndReason reason);
}
