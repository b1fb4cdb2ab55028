using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Contracts;

/// <summary>A session's life for auditing its charge: events oldest first, and how many were dropped to keep the log bounded.</summary>
public sealed record SessionEventsResponse(string SessionId, IReadOnlyList<SessionEventResponse> Data, int Dropped)
{
    public static SessionEventsResponse From(string sessionId, SessionEventLog log) =>
        new(sessionId, log.Events.Select(SessionEventResponse.From).ToList(), log.Dropped);
}
