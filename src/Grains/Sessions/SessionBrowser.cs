using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

/// <summary>A session and the browser pod it holds, as its <see cref="ISessionBrowserHook"/>s see it.</summary>
public sealed record SessionBrowser(string SessionId, SessionRequest Request, PodLease Pod);
