using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>
/// A tenant that asks the browser itself (<c>Browser.setDownloadBehavior</c>, as if the gateway's policy were bypassed) for a
/// download path on this machine writes into the sandbox's own file system: the host path is not even visible.
/// </summary>
[Collection(HostileTenantCollection.Name)]
public sealed class DownloadFenceTests(HostileTenantFixture target)
{
    [Fact]
    public async Task A_download_aimed_at_a_host_directory_stays_inside_the_sandbox_and_the_pods_downloads_directory_works()
    {
        var outside = Path.Combine(Path.GetTempPath(), "ufb-escape-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outside);
        File.SetUnixFileMode(outside, (UnixFileMode)0b111_111_111);
        try
        {
            var control = await target.ControlPod();
            await using (var page = await PodPage.OpenAsync(control))
            {
                await Download(page, outside, "control.txt");
                await Wait.Until(() => File.Exists(Path.Combine(outside, "control.txt")), "the control's download lands in the host directory");
            }

            await target.Control.DeleteAsync(control, CancellationToken.None);

            var pod = await target.SandboxedPod();
            Assert.Equal("/downloads", pod.DownloadsDirectory);
            await using (var page = await PodPage.OpenAsync(pod))
            {
                await Download(page, pod.DownloadsDirectory!, "kept.txt");
                var kept = Path.Combine(target.SandboxedPods, pod.PodId, "downloads", "kept.txt");
                await Wait.Until(() => File.Exists(kept), "a download to the lease's DownloadsDirectory lands in the pod's downloads folder");

                await Download(page, outside, "escape.txt");
                // Inside the sandbox the path exists only in its private /tmp, where the browser put the file.
                await Wait.Until(async () => await page.NavigateAsync($"file://{outside}/escape.txt") is null, "the download lands in the sandbox's /tmp");
                Assert.Equal("downloaded by the tenant", await page.TextAsync());
            }

            Assert.False(File.Exists(Path.Combine(outside, "escape.txt")));
            Assert.Equal(["control.txt"], Directory.GetFiles(outside).Select(Path.GetFileName));
            await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    private async Task Download(PodPage page, string directory, string name)
    {
        await page.Browser.SendAsync("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = directory });
        // A navigation that becomes a download is reported as aborted.
        await page.NavigateAsync($"{target.Network.PublicUrl}/download?name={name}");
    }
}
