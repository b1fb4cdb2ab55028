using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UFBrowsers.Cluster.Tests.Infrastructure;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class RestartTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_new_silo_process_reads_back_every_balance_session_and_ledger_entry()
    {
        var database = await postgres.CreateDatabaseAsync();
        var before = new Dictionary<string, (string Key, string Account, string Sessions, string Ledger)>();
        // The browsers live outside the process (as Kubernetes pods do), so the sessions left running are still running after it.
        var pods = new FakePodProvider();

        await using (var first = new ProductOnPostgres(database, pods))
        {
            for (var c = 0; c < 3; c++)
            {
                var (id, key) = await first.NewCustomer(credits: 50);
                using var client = first.WithKey(key);
                for (var s = 0; s < 4; s++)
                {
                    var session = await (await client.PostAsync("/v1/sessions", JsonContent.Create(new { }))).Content.ReadFromJsonAsync<JsonNode>();
                    if (s % 2 == 0)
                    {
                        (await client.PostAsync($"/v1/sessions/{session!["id"]}/end", null)).EnsureSuccessStatusCode();
                    }
                }

                before[id] = (key, await Read(client, "/v1/account"), await Read(client, "/v1/sessions?limit=100"), await Read(client, "/v1/account/ledger?limit=100"));
            }
        }

        await using var second = new ProductOnPostgres(database, pods);
        foreach (var (id, expected) in before)
        {
            using var client = second.WithKey(expected.Key);
            var account = JsonNode.Parse(await Read(client, "/v1/account"))!;
            Assert.Equal(46, account["balance"]!.GetValue<long>());
            Assert.Equal(2, account["concurrency"]!["used"]!.GetValue<int>());
            Assert.Equal(expected.Account, await Read(client, "/v1/account"));
            Assert.Equal(expected.Ledger, await Read(client, "/v1/account/ledger?limit=100"));
            Assert.Equal(StripDurations(expected.Sessions), StripDurations(await Read(client, "/v1/sessions?limit=100")));

            using var op = second.Operator();
            var audit = await (await op.GetAsync($"/admin/customers/{id}/audit")).Content.ReadFromJsonAsync<JsonNode>();
            Assert.True(audit!["agrees"]!.GetValue<bool>());
            Assert.Equal(5, audit["ledgerEntries"]!.GetValue<long>());
        }
    }

    private static async Task<string> Read(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>An active session's duration grows with the clock; everything else must be identical.</summary>
    private static string StripDurations(string sessions)
    {
        var page = JsonNode.Parse(sessions)!;
        foreach (var session in page["data"]!.AsArray())
        {
            if (session!["status"]!.GetValue<string>() == "active")
            {
                session.AsObject().Remove("durationMs");
            }
        }

        return page.ToJsonString();
    }
}
