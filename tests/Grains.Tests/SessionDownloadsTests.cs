using System.Text;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Grains.Files;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Grains.Tests;

/// <summary>What the downloads hook keeps of a session's files at its end, and how long (fake pods, the memory store, the fake clock).</summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionDownloadsTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Downloads_are_kept_oldest_first_within_the_plans_bytes_per_session_and_what_is_over_is_cut_off_and_reported()
    {
        var (customer, id, pod) = await Started(plan: "starter");
        var at = fixture.Time.GetUtcNow();
        fixture.PodFiles.Add(pod, "a.bin", Bytes(400, 1), at.AddSeconds(1));
        fixture.PodFiles.Add(pod, "b.bin", Bytes(400, 2), at.AddSeconds(2));
        fixture.PodFiles.Add(pod, "c.bin", Bytes(400, 3), at.AddSeconds(3));
        fixture.PodFiles.Add(pod, "d.bin", Bytes(10, 4), at.AddSeconds(4));

        var ended = await Grains.GetGrain<ISessionGrain>(id).End(EndReason.Client);

        Assert.Equal(1, ended!.CreditsCharged);
        var listing = (await Files.ListDownloadsAsync(customer, id, CancellationToken.None))!;
        Assert.False(listing.FromBrowser);
        Assert.Equal(
            [("a.bin", 400L, 400L, false), ("b.bin", 400L, 400L, false), ("c.bin", 400L, 200L, true), ("d.bin", 10L, 0L, true)],
            listing.Files.Select(f => (f.Name, f.SizeBytes, f.StoredBytes, f.Truncated)));
        Assert.Equal(Bytes(200, 3), await Read(customer, id, "c.bin"));
        Assert.Equal(Bytes(400, 1), await Read(customer, id, "a.bin"));
        Assert.Equal(fixture.Time.GetUtcNow() + TimeSpan.FromHours(24), listing.RetainedUntil);
    }

    [Fact]
    public async Task While_the_session_runs_its_downloads_come_from_its_browser_and_after_the_retention_they_are_gone()
    {
        var (customer, id, pod) = await Started();
        fixture.PodFiles.Add(pod, "report.pdf", Bytes(100, 7), fixture.Time.GetUtcNow());

        var live = (await Files.ListDownloadsAsync(customer, id, CancellationToken.None))!;
        Assert.True(live.FromBrowser);
        Assert.Equal(["report.pdf"], live.Files.Select(f => f.Name));
        Assert.Equal(Bytes(100, 7), await Read(customer, id, "report.pdf"));

        await Grains.GetGrain<ISessionGrain>(id).End(EndReason.Client);
        fixture.PodFiles.Downloads.TryRemove(pod, out _);
        Assert.Equal(Bytes(100, 7), await Read(customer, id, "report.pdf"));

        fixture.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        Assert.Empty((await Files.ListDownloadsAsync(customer, id, CancellationToken.None))!.Files);
        Assert.Null(await Files.OpenDownloadAsync(customer, id, "report.pdf", CancellationToken.None));
        // The silo's cleanup (on the same clock) deletes the expired rows themselves.
        await Wait.Until(async () => (await fixture.SessionFiles.ListAsync(id, DateTimeOffset.MinValue, CancellationToken.None)).Count == 0,
            "the cleanup deleted the expired download");
    }

    [Fact]
    public async Task Another_customer_sees_neither_the_list_nor_a_file_and_cannot_upload()
    {
        var (_, id, pod) = await Started();
        fixture.PodFiles.Add(pod, "secret.txt", Bytes(10, 9), fixture.Time.GetUtcNow());
        var other = (await TestCustomers.Active(Grains)).GetPrimaryKeyString();

        Assert.Null(await Files.ListDownloadsAsync(other, id, CancellationToken.None));
        Assert.Null(await Files.OpenDownloadAsync(other, id, "secret.txt", CancellationToken.None));
        Assert.Equal(UploadOutcome.SessionNotFound, (await Files.UploadAsync(other, id, "x.txt", new MemoryStream([1]), 1, CancellationToken.None)).Outcome);
        Assert.DoesNotContain(fixture.PodFiles.Uploads.Keys, k => k.Contains(pod, StringComparison.Ordinal));
        await Grains.GetGrain<ISessionGrain>(id).End(EndReason.Client);
    }

    [Fact]
    public async Task Downloads_of_a_browser_that_died_are_not_copied_and_a_session_without_downloads_stores_nothing()
    {
        var (customer, id, pod) = await Started();
        fixture.PodFiles.Add(pod, "half.bin", Bytes(10, 1), fixture.Time.GetUtcNow());
        fixture.PodProvider.Lose(pod);
        fixture.Time.Advance(TimeSpan.FromSeconds(31));
        await Grains.GetGrain<ISessionGrain>(id).Meter();

        Assert.Equal(EndReason.PodLost, (await Grains.GetGrain<ISessionGrain>(id).Get())!.EndReason);
        Assert.Empty((await Files.ListDownloadsAsync(customer, id, CancellationToken.None))!.Files);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("bell\u0007.txt")]
    [InlineData("rtl\u202Eexe.txt")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("nul\0")]
    public void Names_that_are_not_plain_file_names_are_refused(string name) => Assert.False(FileNames.IsPlain(name));

    [Theory]
    [InlineData("report.pdf")]
    [InlineData("Rapport trimestriel (final).pdf")]
    [InlineData("日本語.txt")]
    [InlineData("..hidden")]
    [InlineData("a%2Fb")]
    public void Plain_names_are_taken_as_they_are(string name) => Assert.True(FileNames.IsPlain(name));

    [Fact]
    public void A_name_is_at_most_255_bytes_of_UTF8() =>
        Assert.Equal((true, false), (FileNames.IsPlain(new string('é', 127)), FileNames.IsPlain(new string('é', 128))));

    private SessionFiles Files => fixture.Cluster.Primary is Orleans.TestingHost.InProcessSiloHandle silo
        ? silo.SiloHost.Services.GetRequiredService<SessionFiles>()
        : throw new InvalidOperationException("The test cluster's silo runs in another process.");

    private async Task<(string Customer, string Id, string Pod)> Started(string plan = "professional")
    {
        var customer = (await TestCustomers.Active(Grains, credits: 10, plan: plan)).GetPrimaryKeyString();
        var id = SessionIds.New();
        Assert.Equal(SessionStartOutcome.Started, (await Grains.GetGrain<ISessionGrain>(id).Start(new SessionRequest(customer))).Outcome);
        return (customer, id, (await Grains.GetGrain<ISessionGrain>(id).GetPod())!.PodId);
    }

    private async Task<byte[]> Read(string customer, string id, string name)
    {
        await using var content = await Files.OpenDownloadAsync(customer, id, name, CancellationToken.None);
        Assert.NotNull(content);
        var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);
        Assert.Equal(content.Length, copy.Length);
        return copy.ToArray();
    }

    private static byte[] Bytes(int count, byte seed) => Enumerable.Range(0, count).Select(i => (byte)(seed * 31 + i)).ToArray();
}
