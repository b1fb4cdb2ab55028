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

        Assert.Null(await page.NavigateAsync("file:///"));
        var entries = await page.EvaluateAsync(
            "[...document.querySelectorAll('a.icon.dir, a.icon.file')].map(a => a.textContent.trim().replace(/\\/$/, '')).sort().join(',')");

        // uploads: the session's uploaded files, bound read-only, root's and not writable by the sandbox's group (LocalPodFilesTests).
        Assert.Equal("bin,dev,downloads,etc,lib,lib64,proc,profile,sbin,tmp,uploads,usr", entries);
        Assert.Null(await page.NavigateAsync("file:///etc/"));
        var etc = await page.TextAsync();
        Assert.Contains("resolv.conf", etc);
        Assert.DoesNotContain("passwd", etc);
        Assert.DoesNotContain("shadow", etc);

        await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
    }
}
