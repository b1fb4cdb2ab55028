using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UFBrowsers.Sessions;

namespace UFBrowsers.Bench.Drills;

/// <summary>Sessions through the REST API; the Idempotency-Key is the handle, so a retried create reaches the same session.</summary>
internal sealed class HttpSessionClient(HttpClient http, IReadOnlyDictionary<string, string> apiKeys) : ISessionClient
{
    public long ServerErrors;
    public long ServiceUnavailable;

    public string NewSession(string customerId) => "drill-" + Guid.NewGuid().ToString("N");

    public string SessionId(string customerId, string session) => SessionIds.FromIdempotencyKey(customerId, session);

    public async Task<StartAttempt> StartAsync(string customerId, string session, int timeoutSeconds)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions")
        {
            Content = new StringContent($"{{\"timeoutSeconds\":{timeoutSeconds}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKeys[customerId]);
        request.Headers.Add("Idempotency-Key", session);
        using var response = await http.SendAsync(request);
        Count(response.StatusCode);
        return (int)response.StatusCode switch
        {
            >= 200 and < 300 => StartAttempt.Started,
            429 or >= 500 => StartAttempt.Retry,
            _ => StartAttempt.Refused,
        };
    }

    public async Task<bool> EndAsync(string customerId, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sessions/{SessionId(customerId, session)}/end");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKeys[customerId]);
        using var response = await http.SendAsync(request);
        Count(response.StatusCode);
        // 404: the session never started, so there is nothing to end.
        return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound;
    }

    private void Count(HttpStatusCode status)
    {
        if (status == HttpStatusCode.ServiceUnavailable)
        {
            Interlocked.Increment(ref ServiceUnavailable);
        }
        else if ((int)status >= 500)
        {
            Interlocked.Increment(ref ServerErrors);
        }
    }
}
