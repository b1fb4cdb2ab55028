using System.Collections.Concurrent;
using UFBrowsers.Grains.Sessions;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Grains.Tests.Infrastructure;

/// <summary>A browser hook that records its calls (and whether the pod was still alive then) and fails as a test scripts it, per session.</summary>
public sealed class ScriptedBrowserHook(FakePodProvider pods) : ISessionBrowserHook
{
    public sealed record Call(string Phase, string SessionId, string PodId, EndReason? Reason, bool PodAlive);

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>What to throw at a session's start or end, by session id.</summary>
    public ConcurrentDictionary<string, Exception> FailStart { get; } = new();

    public ConcurrentDictionary<string, Exception> FailEnd { get; } = new();

    public Task OnStartingAsync(SessionBrowser browser, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new Call("start", browser.SessionId, browser.Pod.PodId, null, pods.Live.ContainsKey(browser.Pod.PodId)));
        return FailStart.TryGetValue(browser.SessionId, out var failure) ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task OnEndingAsync(SessionBrowser browser, EndReason reason, CancellationToken cancellationToken)
    {
        Calls.Enqueue(new Call("end", browser.SessionId, browser.Pod.PodId, reason, pods.Live.ContainsKey(browser.Pod.PodId)));
        return FailEnd.TryGetValue(browser.SessionId, out var failure) ? Task.FromException(failure) : Task.CompletedTask;
    }

    public IReadOnlyList<Call> Of(string sessionId) => Calls.Where(call => call.SessionId == sessionId).ToList();
}
