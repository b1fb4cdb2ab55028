using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.BenchSupport;
using UFBrowsers.Customers;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// Malformed requests (bad JSON, wrong types, huge bodies, bad headers, path and query tricks, broken HTTP) spread
/// over every endpoint the API maps, read from its own route table. None may get a 5xx or change any money.
/// </summary>
internal static class MalformedRequestsDrill
{
    private const string Name = "malformed";

    private static readonly string[] Kinds = ["bad-json", "wrong-types", "huge-body", "bad-headers", "path-tricks", "query-tricks", "content-type", "raw-http"];

    private static readonly string[] BadJson =
        ["{\"nodePool\": \"default\",", "[1,2", "nul", "{'single': 'quotes'}", "{\"a\":}", "\u0000\u0001\u0002", "{\"timeoutSeconds\": 01}", "{\"x\": \"\\uZZZZ\"}", "}{", "{\"a\":1}}"];

    private static readonly string[] WrongTypes =
    [
        "{\"nodePool\":123,\"timeoutSeconds\":\"ten\"}", "{\"timeoutSeconds\":1e40}", "{\"timeoutSeconds\":-5}", "{\"timeoutSeconds\":2147483648}",
        "{\"id\":[],\"name\":{},\"plan\":true}", "{\"status\":\"bogus\",\"tenantProvisioned\":\"yes\"}", "{\"amount\":\"1e999\",\"reason\":5}",
        "{\"amount\":9223372036854775808,\"reason\":\"x\"}", "\"just a string\"", "[]", "42", "null", "{\"name\":null,\"plan\":null}",
    ];

    private static readonly string[] IdTricks =
    [
        "..%2f..%2fadmin%2fcustomers", "%2e%2e", "ses_%00", new string('a', 5000), "ses_ABCDEF", "%C5%9B", "ses_0123456789abcdef0123456789abcde%20",
        "%25%25%25", "..;", "ses_0123456789abcdef0123456789abcdef/../../admin", "%FF%FE", "%c0%ae%c0%ae",
    ];

    private static readonly string[] QueryTricks =
    [
        "?limit=-1", "?limit=99999999999999999999", "?cursor=abc", "?cursor=-1", "?status=ACTIVE", "?status[]=x", "?limit=1&limit=2",
        "?days=0", "?days=100000", "?limit=%00", "?" + new string('q', 8000) + "=1",
    ];

    private static readonly string[] RawRequests =
    [
        "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n",
        "GET /v1/account HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        "GET /v1/account HTTP/9.9\r\nHost: x\r\n\r\n",
        "GET /v1/account HTTP/1.1\r\nHost: evil:99999\r\n\r\n",
        "GET /v1/account HTTP/1.1\r\n\r\n",
        "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET\t/v1/account HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /admin/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"id\":",
    ];

    public static async Task<bool> RunAsync(DrillOptions options)
    {
        var pods = new FakePodProvider();
        await using var host = await BenchApiHost.StartAsync(DrillSettings.ForSilo("Memory", warmTarget: 2), _ => pods);
        var (customers, keys) = await ApiDrillSetup.CustomersAsync(host, 2);
        var caller = customers[0];
        var other = customers[1];
        using var http = host.NewClient();
        http.Timeout = TimeSpan.FromSeconds(30);

        // Another tenant's live session, whose id the path tricks also try.
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys[other.Id]);
        var otherSession = (await (await http.SendAsync(create)).Content.ReadAsStringAsync()).Split('"')[3];

        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText ?? "/")))
            .Distinct().OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal).ToList();
        Console.WriteLine($"[{Name}] {endpoints.Count} endpoints (method + route) in the API's route table");

        var balancesBefore = await Balances(host.Grains, customers);
        var statuses = new int[600];
        var failures = 0;
        var sessionsCreated = 0;
        var serverErrors = new List<string>();
        await Parallel.ForAsync(0, options.Requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var (method, pattern) = endpoints[i % endpoints.Count];
            var kind = Kinds[i / endpoints.Count % Kinds.Length];
            var auth = (i / (endpoints.Count * Kinds.Length) % 4) switch
            {
                0 => "Bearer " + keys[caller.Id],
                1 => "Bearer " + BenchSettings.OperatorToken,
                2 => null,
                _ => "Bearer ufb_garbage.garbage",
            };
            try
            {
                var status = kind == "raw-http"
                    ? await SendRawAsync(host.BaseUrl, RawRequests[i % RawRequests.Length])
                    : await SendAsync(http, method, pattern, kind, auth, i, otherSession);
                Interlocked.Increment(ref statuses[Math.Clamp(status, 0, statuses.Length - 1)]);
                if (status == 201 && method == "POST" && pattern.TrimEnd('/') == "/v1/sessions")
                {
                    // Extra headers or unknown fields do not make a start request invalid: it is accepted and holds a credit.
                    Interlocked.Increment(ref sessionsCreated);
                }

                // 505 is Kestrel's protocol-mandated answer to "HTTP/9.9" (RFC 9110 15.6.6): reported, not counted as a failure.
                if (status >= 500 && status != 505)
                {
                    lock (serverErrors)
                    {
                        serverErrors.Add($"{status} {method} {pattern} ({kind})");
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or TaskCanceledException)
            {
                // The server closing the connection on garbage is a fine answer; counted, not a 5xx.
                Interlocked.Increment(ref failures);
            }
        });

        var byClass = Enumerable.Range(1, 5).Select(c => $"{statuses.Skip(c * 100).Take(100).Sum()} {c}xx").ToList();
        var top = statuses.Select((count, code) => (count, code)).Where(s => s.count > 0).OrderByDescending(s => s.count).Take(8)
            .Select(s => $"{s.code}:{s.count}");
        foreach (var error in serverErrors.Distinct().Take(10))
        {
            Console.WriteLine($"[{Name}]   {error}");
        }

        var ok = Invariants.Report(Name, "no 5xx", serverErrors.Count == 0,
            $"{options.Requests} requests over {endpoints.Count} endpoints x {Kinds.Length} kinds: {string.Join(", ", byClass)} " +
            $"({string.Join(" ", top)}); {statuses[505]} of the 5xx are 505 for HTTP/9.9 from Kestrel; {failures} connections closed by the server");
        var balancesAfter = await Balances(host.Grains, customers);
        var debited = customers.Sum(c => balancesBefore[c.Id].Balance - balancesAfter[c.Id].Balance);
        var entries = customers.Sum(c => balancesAfter[c.Id].Entries - balancesBefore[c.Id].Entries);
        ok &= Invariants.Report(Name, "unchanged", debited == sessionsCreated && entries == sessionsCreated,
            $"{sessionsCreated} sessions started by requests that were well-formed after all (201); balances moved by {debited} credits " +
            $"and ledgers by {entries} entries: only their holds");
        return await Invariants.CheckAsync(Name, host.Grains, customers, new Dictionary<string, IReadOnlyCollection<string>>(), [pods]) && ok;
    }

    private static async Task<Dictionary<string, (long Balance, long Entries)>> Balances(IGrainFactory grains, IReadOnlyList<DrillCustomer> customers)
    {
        var result = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            var audit = await grains.GetGrain<ICustomerGrain>(customer.Id).AuditLedger();
            result[customer.Id] = (audit.BalanceInGrain, audit.LedgerEntries);
        }

        return result;
    }

    private static async Task<int> SendAsync(HttpClient http, string method, string pattern, string kind, string? auth, int i, string otherSession)
    {
        var path = "/" + pattern.TrimStart('/');
        var parameter = kind == "path-tricks" ? IdTricks[i % IdTricks.Length] : (i % 2 == 0 ? otherSession : "cus_does_not_exist");
        path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\*{0,2}[^}]+\}", parameter);
        if (kind == "path-tricks" && !pattern.Contains('{'))
        {
            path += (i % 3) switch { 0 => "/..%2f" + IdTricks[i % IdTricks.Length], 1 => "//", _ => "%00" };
        }

        if (kind == "query-tricks")
        {
            path += QueryTricks[i % QueryTricks.Length];
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (auth is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", auth);
        }

        var body = kind switch
        {
            "bad-json" => BadJson[i % BadJson.Length],
            "wrong-types" => WrongTypes[i % WrongTypes.Length],
            // Mostly 1 MB of JSON string; now and then 40 MB, above the server's request size limit.
            "huge-body" => "{\"name\":\"" + new string('A', i % 25 == 0 ? 40 << 20 : 1 << 20) + "\",\"nodePool\":\"default\"}",
            "content-type" => "nodePool=default&timeoutSeconds=10",
            _ => "{}",
        };
        if (method is "POST" or "PUT" or "PATCH" or "DELETE" || kind is "bad-json" or "huge-body")
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", kind switch
            {
                "content-type" => (i % 3) switch { 0 => "application/x-www-form-urlencoded", 1 => "text/plain", _ => "application/json; charset=utf-7" },
                _ => "application/json",
            });
        }

        if (kind == "bad-headers")
        {
            AddBadHeaders(request, i);
        }

        // Streaming endpoints (server-sent events) answer with headers and then keep going: the status is what counts.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return (int)response.StatusCode;
    }

    private static void AddBadHeaders(HttpRequestMessage request, int i)
    {
        switch (i % 8)
        {
            case 0:
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('k', 16_000));
                break;
            case 1:
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", "Basic ::::not-base64::::");
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('i', 5_000));
                break;
            case 3:
                request.Headers.TryAddWithoutValidation("Idempotency-Key", "");
                request.Headers.TryAddWithoutValidation("Idempotency-Key", "second");
                break;
            case 4:
                request.Headers.TryAddWithoutValidation("Accept", "*/*;q=abc, application/json;q=-1");
                break;
            case 5:
                request.Headers.Host = "evil.example";
                break;
            case 6:
                request.Content?.Headers.TryAddWithoutValidation("Content-Encoding", "gzip");
                break;
            default:
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer");
                break;
        }
    }

    private static async Task<int> SendRawAsync(string baseUrl, string raw)
    {
        var uri = new Uri(baseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(raw));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var line = Encoding.ASCII.GetString(buffer, 0, read);
        // "HTTP/1.1 400 Bad Request"; a closed connection without an answer counts as a refusal.
        return line.StartsWith("HTTP/", StringComparison.Ordinal) && line.Length >= 12 ? int.Parse(line.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : 400;
    }
}
