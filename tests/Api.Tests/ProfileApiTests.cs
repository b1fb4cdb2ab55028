using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests;

/// <summary>The profiles API and the profile of a session start, on fake pods: shapes, bad input, limits, audit, replays.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProfileApiTests(ApiFixture api)
{
    [Fact]
    public async Task A_profile_is_created_listed_read_and_deleted_and_each_change_is_audited()
    {
        var tenant = await api.NewTenant();

        var created = await tenant.Client.PostAsJsonAsync("/v1/profiles", new { name = "  checkout bot  " });
        var profile = await created.Json();
        var id = profile["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/profiles/{id}", created.Headers.Location!.OriginalString);
        Assert.Matches("^prf_[0-9a-f]{32}$", id);
        Assert.Equal(("checkout bot", 0L, 0L), (profile["name"]!.GetValue<string>(), profile["sizeBytes"]!.GetValue<long>(), profile["version"]!.GetValue<long>()));
        Assert.Null(profile["updatedAt"]?.GetValue<string>());
        Assert.Null(profile["lastSave"]);
        Assert.Equal([id], (await (await tenant.Client.GetAsync("/v1/profiles")).Json())["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal(id, (await (await tenant.Client.GetAsync($"/v1/profiles/{id}")).Json())["id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/v1/profiles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync($"/v1/profiles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.DeleteAsync($"/v1/profiles/{id}")).StatusCode);

        using var op = api.Operator();
        var actions = (await (await op.GetAsync($"/admin/customers/{tenant.Id}/audit")).Json())["recentActions"]!.AsArray();
        Assert.Contains(actions, a => a!["action"]!.GetValue<string>() == "CreateProfile" && a["outcome"]!.GetValue<string>() == "201");
        Assert.Contains(actions, a => a!["action"]!.GetValue<string>() == "DeleteProfile" && a["target"]!.GetValue<string>() == id && a["outcome"]!.GetValue<string>() == "204");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\":\"\"}")]
    [InlineData("{\"name\":\"evil\\u202Etxt.exe\"}")]
    [InlineData("{\"name\":42}")]
    public async Task A_profile_without_a_plain_name_is_refused_and_none_is_created(string body)
    {
        var tenant = await api.NewTenant();

        var refused = await tenant.Client.PostAsync("/v1/profiles", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_request", (await refused.Json())["code"]!.GetValue<string>());
        Assert.Empty((await (await tenant.Client.GetAsync("/v1/profiles")).Json())["data"]!.AsArray());
    }

    [Fact]
    public async Task The_plans_number_of_profiles_is_kept()
    {
        var tenant = await api.NewTenant(plan: "small");
        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PostAsJsonAsync("/v1/profiles", new { name = "one" })).StatusCode);

        var refused = await tenant.Client.PostAsJsonAsync("/v1/profiles", new { name = "two" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("profile_limit_reached", (await refused.Json())["code"]!.GetValue<string>());
        Assert.Single((await (await tenant.Client.GetAsync("/v1/profiles")).Json())["data"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"profile\":{}}", 400, "invalid_profile")]
    [InlineData("{\"profile\":{\"id\":\"../prf\"}}", 400, "invalid_profile")]
    [InlineData("{\"profile\":{\"id\":\"prf_00000000000000000000000000000000\",\"persist\":true}}", 404, "profile_not_found")]
    [InlineData("{\"profile\":{\"id\":\"prf_00000000000000000000000000000000\",\"persist\":\"yes\"}}", 400, "invalid_request")]
    public async Task A_session_asking_for_a_bad_or_unknown_profile_is_refused_before_anything_is_held(string body, int status, string code)
    {
        var tenant = await api.NewTenant(credits: 10);
        var pods = api.Pods.Live.Count;

        var refused = await tenant.Client.PostAsync("/v1/sessions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)refused.StatusCode);
        Assert.Equal(code, (await refused.Json())["code"]!.GetValue<string>());
        Assert.Equal(10, await tenant.Client.Balance());
        Assert.DoesNotContain(await tenant.Client.Ledger(), e => e!["sessionId"] is not null);
        Assert.True(api.Pods.Live.Count >= pods, "no pod was taken for a refused start");
    }

    [Fact]
    public async Task A_second_writer_gets_409_without_a_pod_being_taken_and_a_retry_of_the_writers_own_start_replays()
    {
        var tenant = await api.NewTenant(credits: 10);
        var id = (await (await tenant.Client.PostAsJsonAsync("/v1/profiles", new { name = "shared" })).Json())["id"]!.GetValue<string>();
        var body = new { profile = new { id, persist = true } };
        var first = await tenant.Client.CreateSession(body, idempotencyKey: "writer-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var sessionId = (await first.Json())["id"]!.GetValue<string>();
        var assigned = api.Pods.Assignments.Count;

        var second = await tenant.Client.CreateSession(body);
        var replay = await tenant.Client.CreateSession(body, idempotencyKey: "writer-1");

        var conflict = await second.Json();
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("profile_in_use", conflict["code"]!.GetValue<string>());
        Assert.Contains(sessionId, conflict["detail"]!.GetValue<string>());
        Assert.Equal(assigned, api.Pods.Assignments.Count);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(sessionId, (await replay.Json())["id"]!.GetValue<string>());
        Assert.Equal(9, await tenant.Client.Balance());
        Assert.Equal(sessionId, (await (await tenant.Client.GetAsync($"/v1/profiles/{id}")).Json())["persistingSessionId"]!.GetValue<string>());

        await tenant.Client.PostAsync($"/v1/sessions/{sessionId}/end", null);
        var profile = await (await tenant.Client.GetAsync($"/v1/profiles/{id}")).Json();
        Assert.Null(profile["persistingSessionId"]?.GetValue<string>());
    }

    [Fact]
    public async Task The_API_document_describes_profiles_and_session_files()
    {
        using var anonymous = api.CreateClient();
        var paths = (await (await anonymous.GetAsync("/openapi/v1.json")).Json())["paths"]!;

        Assert.NotNull(paths["/v1/profiles"]!["post"]!["responses"]!["201"]);
        Assert.NotNull(paths["/v1/profiles/{id}"]!["delete"]!["responses"]!["409"]);
        Assert.NotNull(paths["/v1/sessions"]!["post"]!["responses"]!["409"]);
        Assert.NotNull(paths["/v1/sessions/{id}/downloads"]!["get"]);
        Assert.NotNull(paths["/v1/sessions/{id}/downloads/{name}"]!["get"]);
        var upload = paths["/v1/sessions/{id}/uploads"]!["post"]!;
        Assert.NotNull(upload["requestBody"]!["content"]!["multipart/form-data"]);
        Assert.NotNull(upload["requestBody"]!["content"]!["application/octet-stream"]);
        Assert.NotNull(upload["responses"]!["413"]);
    }
}
