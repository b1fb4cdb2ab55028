using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>A tenant's page (or its CDP client) reads files with <c>file://</c>: only the pod's own are there to read.</summary>
[Collection(HostileTenantCollection.Name)]
public sealed class FileSystemFenceTests(HostileTenantFixture target)
{
    [Fact]
    public async Task A_secret_file_outside_the_pod_does_not_load_though_every_user_may_read_it()
    {
        var pod = await target.SandboxedPod();
        var control = await target.ControlPod();

        await using (var page = await PodPage.OpenAsync(control))
        {
            Assert.Null(await page.NavigateAsync("file://" + target.SecretPath));
            Assert.Equal(target.Secret, await page.TextAsync());
        }

        await using (var page = await PodPage.OpenAsync(pod))
        {
            Assert.Equal("net::ERR_FILE_NOT_FOUND", await page.NavigateAsync("file://" + target.SecretPath));
            Assert.Equal("net::ERR_FILE_NOT_FOUND", await page.NavigateAsync("file:///etc/passwd"));
            Assert.NotEqual(target.Secret, await page.TextAsync());
        }

        await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
        await target.Control.DeleteAsync(control, CancellationToken.None);
    }

    [Fact]
    public async Task The_root_of_the_sandbox_holds_only_system_files_its_own_profile_downloads_uploads_and_temporary_files()
    {
        var pod = await target.SandboxedPod();
        await using var page = await PodPage.OpenAsync(pod);

        // uploads: the session's uploaded files, bound read-only, root's and not writable by the sandbox's group (LocalPodFilesTests).
        Assert.Equal("bin,dev,downloads,etc,lib,lib64,proc,profile,sbin,tmp,uploads,usr,var", await Listing(page, "file:///"));
        // Of /var only the system's font cache (read-only), so that no pod rebuilds its own.
        Assert.Equal("cache", await Listing(page, "file:///var/"));
        Assert.Equal("fontconfig", await Listing(page, "file:///var/cache/"));
        var etc = (await Listing(page, "file:///etc/"))!.Split(',');
        Assert.Contains("resolv.conf", etc);
        Assert.DoesNotContain("passwd", etc);
        Assert.DoesNotContain("shadow", etc);

        await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
    }

    /// <summary>
    /// The names in Chromium's listing of a directory: one <c>addRow("name", …)</c> script per entry (the headless shell has no
    /// template that turns them into links, full Chromium has).
    /// </summary>
    private static async Task<string?> Listing(PodPage page, string directory)
    {
        Assert.Null(await page.NavigateAsync(directory));
        return await page.EvaluateAsync(
            "[...document.scripts].map(s => /^addRow\\(\"([^\"]*)\"/.exec(s.text)?.[1]).filter(n => n !== undefined).sort().join(',')");
    }
}
