using System.Collections.Concurrent;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Tests.Infrastructure;

/// <summary>
/// Browsers' profile state without browsers: what each pod was given at its start, and what it holds at its end (set by
/// a test as a session "browses"; by default what it was given).
/// </summary>
public sealed class FakeBrowserProfiles : IBrowserProfileTransfer
{
    public ConcurrentDictionary<string, ProfileState> Restored { get; } = new();

    /// <summary>The state a pod's browser holds now, by pod id.</summary>
    public ConcurrentDictionary<string, ProfileState> Current { get; } = new();

    /// <summary>The state each capture was given as the one its session started from, by pod id.</summary>
    public ConcurrentDictionary<string, ProfileState> CapturedFrom { get; } = new();

    /// <summary>Pods whose browser cannot be read at the end.</summary>
    public ConcurrentDictionary<string, bool> Unreadable { get; } = new();

    public Task RestoreAsync(PodLease pod, ProfileState state, CancellationToken cancellationToken)
    {
        Restored[pod.PodId] = state;
        Current.TryAdd(pod.PodId, state);
        return Task.CompletedTask;
    }

    public Task<ProfileState> CaptureAsync(PodLease pod, ProfileState previous, CancellationToken cancellationToken)
    {
        CapturedFrom[pod.PodId] = previous;
        return Unreadable.ContainsKey(pod.PodId)
            ? Task.FromException<ProfileState>(new InvalidOperationException("the browser's state could not be read"))
            : Task.FromResult(Current.GetValueOrDefault(pod.PodId) ?? ProfileState.Empty);
    }

    /// <summary>A state that says who logged in: one HttpOnly cookie and one origin's localStorage.</summary>
    public static ProfileState LoggedIn(string user, int padding = 0) => new(
        [new BrowserCookie("sid", user + new string('x', padding), "shop.example", "/", -1, HttpOnly: true, Secure: true, Session: true, SourceScheme: "Secure", SourcePort: 443)],
        [new OriginStorage("https://shop.example", [new("user", user)])]);
}
