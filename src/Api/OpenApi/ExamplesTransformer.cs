using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace UFBrowsers.Api.OpenApi;

/// <summary>Adds example bodies to the answers a client of the session lifecycle most needs to handle.</summary>
internal sealed class ExamplesTransformer : IOpenApiOperationTransformer
{
    private static readonly JsonObject Session = new()
    {
        ["id"] = "ses_3f0c1f6b2a9d4c7e8b1a2d3c4e5f6a7b",
        ["status"] = "active",
        ["nodePool"] = "default",
        ["connectUrl"] = "ws://127.0.0.1:40123/devtools/browser/6f1c…",
        ["createdAt"] = "2026-11-25T12:00:00+00:00",
        ["expiresAt"] = "2026-11-25T13:00:00+00:00",
        ["endedAt"] = null,
        ["endReason"] = null,
        ["durationMs"] = 0,
        ["creditsCharged"] = 1,
        ["balance"] = 4999,
    };

    private static readonly Dictionary<string, Dictionary<string, JsonNode>> Examples = new(StringComparer.Ordinal)
    {
        ["CreateSession"] = new()
        {
            ["201"] = Session,
            ["402"] = Problem(402, "Payment required", "insufficient_credit", "A session needs at least 1 credit; the balance is 0."),
            ["429"] = Problem(429, "Too many requests", "concurrency_limit_reached", "All 10 concurrent sessions of the plan are in use; end one or retry later."),
            ["503"] = Problem(503, "Service unavailable", "no_browser_available", "No browser could be started; the hold was refunded."),
        },
        ["CreateLiveLink"] = new()
        {
            ["201"] = new JsonObject
            {
                ["url"] = "https://api.example.com/live/ses_3f0c1f6b2a9d4c7e8b1a2d3c4e5f6a7b?token=1764072000.v.q0Zx…",
                ["interactive"] = false,
                ["expiresAt"] = "2026-11-25T13:00:00+00:00",
            },
            ["404"] = Problem(404, "Not found", "session_ended", "Session 'ses_…' has ended."),
        },
        ["GetSessionRecording"] = new()
        {
            ["200"] = new JsonObject
            {
                ["sessionId"] = "ses_3f0c1f6b2a9d4c7e8b1a2d3c4e5f6a7b",
                ["status"] = "complete",
                ["truncated"] = false,
                ["startedAt"] = "2026-11-25T12:00:00+00:00",
                ["endedAt"] = "2026-11-25T12:03:10+00:00",
                ["expiresAt"] = "2026-12-25T12:00:00+00:00",
                ["bytesStored"] = 48211,
                ["rawBytes"] = 342877,
                ["pages"] = new JsonArray(new JsonObject
                {
                    ["pageId"] = "9F2C55CDC2799E54D98A34BDBADD41BA",
                    ["events"] = new JsonArray(
                        new JsonObject { ["type"] = 5, ["timestamp"] = 1764072001000, ["data"] = new JsonObject { ["tag"] = "ufb.navigation", ["payload"] = new JsonObject { ["url"] = "https://example.com/" } } },
                        new JsonObject { ["type"] = 4, ["timestamp"] = 1764072001200, ["data"] = new JsonObject { ["href"] = "https://example.com/", ["width"] = 1280, ["height"] = 800 } }),
                }),
            },
            ["404"] = Problem(404, "Not found", "recording_not_found", "Session 'ses_…' has no recording: it was not created with \"recording\": true, or its recording has expired."),
        },
        ["EndSession"] = new()
        {
            ["200"] = Ended(),
            ["404"] = Problem(404, "Not found", "not_found", "No session 'ses_…'."),
        },
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is { } id && Examples.TryGetValue(id, out var byStatus) && operation.Responses is { } responses)
        {
            foreach (var (status, example) in byStatus)
            {
                if (responses.TryGetValue(status, out var response) && response.Content is { } content)
                {
                    foreach (var media in content.Values)
                    {
                        media.Example = example.DeepClone();
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    private static JsonObject Ended()
    {
        var ended = (JsonObject)Session.DeepClone();
        ended["status"] = "ended";
        ended["connectUrl"] = null;
        ended["endedAt"] = "2026-11-25T12:01:01+00:00";
        ended["endReason"] = "client";
        ended["durationMs"] = 61000;
        ended["creditsCharged"] = 2;
        ended["balance"] = 4998;
        return ended;
    }

    private static JsonObject Problem(int status, string title, string code, string detail) => new()
    {
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
        ["code"] = code,
    };
}
