using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using UFBrowsers.Cluster.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;
using Xunit.Abstractions;

namespace UFBrowsers.Cluster.Tests;

/// <summary>
/// The product as an operator runs it (the built API with its silo, PostgreSQL, local Chromium, real browsers), killed
/// with SIGKILL while CDP clients are connected and starts are in flight, then started again on the same data. Nobody
/// retries anything. Timer periods are shortened through configuration only (reminder 5 s, liveness check 3 s).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProcessKillTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string OperatorToken = "process-kill-tests-operator-token";
    private const long Grant = 100;

    /// <summary>After the new process answers: one reminder period (5 s) and a liveness check (3 s), with room for a loaded machine.</summary>
    private const int RecoverySeconds = 60;

    [Fact]
    public async Task After_a_SIGKILL_and_a_restart_every_session_ends_billed_to_its_browsers_life_and_no_hold_slot_or_browser_is_left()
    {
        var podsDirectory = Path.Combine(Path.GetTempPath(), "ufb-kill-pods-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string>
        {
            ["Silo:Storage"] = "Postgres",
            ["Silo:PodProvider"] = "LocalChromium",
            ["Silo:ClusterId"] = "kill-" + Guid.NewGuid().ToString("N")[..8],
            ["Postgres:ConnectionString"] = await postgres.CreateDatabaseAsync(),
            ["Operator:Token"] = OperatorToken,
            ["Gateway:SigningKey"] = "process-kill-tests-gateway-signing-key-0123456789",
            ["LocalChromium:PodsDirectory"] = podsDirectory,
            ["Pods:NodePools:default:WarmTarget"] = "2",
            ["Pods:NodePools:default:MaxPods"] = "10",
            ["Pods:NodePools:ondemand:WarmTarget"] = "0",
            ["Pods:NodePools:ondemand:MaxPods"] = "4",
            ["Pods:SweepSeconds"] = "3",
            ["Pods:ClaimTimeoutSeconds"] = "10",
            ["Pods:LivenessMaxAgeSeconds"] = "1",
            ["Sessions:ReminderSeconds"] = "5",
            ["Sessions:LivenessCheckSeconds"] = "3",
            ["Sessions:FirstConnectTimeoutSeconds"] = "120",
            ["Sessions:IdleTimeoutSeconds"] = "120",
            ["GatewayLease:LeaseSeconds"] = "5",
            ["GatewayLease:RenewSeconds"] = "1",
        };
        var log = Path.Combine(Path.GetTempPath(), $"ufb-kill-{Guid.NewGuid():N}.log");
        await using var api = new ApiProcess(settings, log);
        try
        {
            await api.StartAsync();
            using var op = api.Client(OperatorToken);
            var (customerId, apiKey) = await OperatorApi.NewCustomer(op, Grant);
            using var client = api.Client(apiKey);

            // Three sessions, each with a CDP client connected through the gateway that has driven its browser.
            var sessions = new List<string>();
            var sockets = new List<ClientWebSocket>();
            for (var i = 0; i < 3; i++)
            {
                var created = await client.PostAsJsonAsync("/v1/sessions", new { });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var session = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
                sessions.Add(session["id"]!.GetValue<string>());
                sockets.Add(await ConnectAndDrive(session["connectUrl"]!.GetValue<string>()));
            }

            var oldPods = Directory.GetDirectories(podsDirectory).ToList();
            var oldBrowsers = ProcessesNaming(podsDirectory);
            Assert.True(oldPods.Count >= 3, $"{oldPods.Count} pod directories");
            Assert.NotEmpty(oldBrowsers);

            // Starts in flight when the process dies: each may have held a credit, or got a pod, or nothing.
            var inFlight = Enumerable.Range(0, 2).Select(i => "kill-in-flight-" + i).ToList();
            var starts = inFlight.Select(key => StartInFlight(client, key)).ToList();
            await Task.Delay(400);
            var killedAt = DateTimeOffset.UtcNow;
            await api.KillAsync();
            await Task.WhenAll(starts);
            // The sandbox's processes die with their parent (bubblewrap's --die-with-parent, pdeathsig), but nothing of the
            // killed process removed their directories: that is left to the next provider's sweep, checked below.
            Assert.True(oldPods.All(Directory.Exists), "a SIGKILLed process cannot have removed its pod directories");

            await api.StartAsync();
            var restartedAt = DateTimeOffset.UtcNow;
            var allSessions = sessions.Concat(inFlight.Select(key => SessionIds.FromIdempotencyKey(customerId, key))).ToList();
            var took = await Eventually.Until(async () =>
            {
                var account = (await client.GetFromJsonAsync<JsonNode>("/v1/account"))!;
                var views = await Task.WhenAll(allSessions.Select(id => View(client, id)));
                return account["concurrency"]!["used"]!.GetValue<int>() == 0 && views.All(v => v is null || Status(v) == "ended");
            }, RecoverySeconds);
            output.WriteLine($"every session ended and every slot free {took.TotalSeconds:F1} s after the new process answered " +
                $"({(restartedAt - killedAt).TotalSeconds:F1} s after the kill)");

            // Each session ended as pod_lost, billed up to the last moment its browser was seen alive: under a minute here.
            foreach (var id in sessions)
            {
                var view = (await View(client, id))!;
                Assert.Equal(("ended", "pod_lost", 1L), (Status(view), view["endReason"]!.GetValue<string>(), view["creditsCharged"]!.GetValue<long>()));
                Assert.True(DateTimeOffset.Parse(view["endedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture) <= killedAt);
            }

            // No hold left: every session's entries add up to what it was charged (a start that never finished: nothing).
            var ledger = (await client.GetFromJsonAsync<JsonNode>("/v1/account/ledger?limit=100"))!["data"]!.AsArray();
            foreach (var id in allSessions)
            {
                var entries = ledger.Where(e => e!["sessionId"]?.GetValue<string>() == id).ToList();
                var view = await View(client, id);
                output.WriteLine($"{id}: {(view is null ? "never started" : $"{Status(view)} ({view["endReason"]})")}; " +
                    $"ledger: {string.Join(", ", entries.Select(e => $"{e!["kind"]} {e["amount"]}"))}");
                Assert.Equal(view?["creditsCharged"]?.GetValue<long>() ?? 0, -entries.Sum(e => e!["amount"]!.GetValue<long>()));
            }

            var audit = (await op.GetFromJsonAsync<JsonNode>($"/admin/customers/{customerId}/audit"))!;
            Assert.True(audit["agrees"]!.GetValue<bool>(), audit.ToJsonString());
            var account = (await client.GetFromJsonAsync<JsonNode>("/v1/account"))!;
            Assert.Equal(0, account["concurrency"]!["used"]!.GetValue<int>());
            Assert.Equal(ledger.Sum(e => e!["amount"]!.GetValue<long>()), account["balance"]!.GetValue<long>());

            // Nothing of the killed process's browsers is left: no process naming their directories, no directory.
            Assert.All(oldPods, pod => Assert.False(Directory.Exists(pod), $"{pod} is still there"));
            Assert.Empty(oldPods.SelectMany(ProcessesNaming));
            Assert.DoesNotContain(oldBrowsers, pid => IsRunning(pid));

            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
        catch
        {
            output.WriteLine(File.Exists(log) ? string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(80)) : "no log");
            throw;
        }
        finally
        {
            await api.DisposeAsync();
            foreach (var pid in ProcessesNaming(podsDirectory))
            {
                TryKill(pid);
            }

            if (Directory.Exists(podsDirectory))
            {
                Directory.Delete(podsDirectory, recursive: true);
            }
        }
    }

    /// <summary>Connects as a CDP client would and runs a command, so the browser is known to work through the gateway.</summary>
    private static async Task<ClientWebSocket> ConnectAndDrive(string connectUrl)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(connectUrl), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"id":1,"method":"Browser.getVersion"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        var reply = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count))!;
        Assert.Contains("Chrom", reply["result"]!["product"]!.GetValue<string>(), StringComparison.Ordinal);
        return socket;
    }

    /// <summary>A start on a pool with no warm browser (so it is still starting one when the kill comes), never retried.</summary>
    private static async Task StartInFlight(HttpClient client, string idempotencyKey)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = JsonContent.Create(new { nodePool = "ondemand" }) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await client.SendAsync(request);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Cut by the kill.
        }
    }

    private static async Task<JsonNode?> View(HttpClient client, string sessionId)
    {
        using var response = await client.GetAsync($"/v1/sessions/{sessionId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private static string Status(JsonNode view) => view["status"]!.GetValue<string>();

    /// <summary>Processes whose command line names <paramref name="directory"/> (Chromium names its profile directory).</summary>
    private static List<int> ProcessesNaming(string directory) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId && CommandLine(pid).Contains(directory, StringComparison.Ordinal))
            .ToList();

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static bool IsRunning(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static void TryKill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone.
        }
    }
}
