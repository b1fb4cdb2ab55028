using System.Text.Json;
using Microsoft.Extensions.Logging;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>What a sandboxed pod is, checked from the outside: who its processes run as, in which namespaces, with what limits.</summary>
[Collection(HostileTenantCollection.Name)]
public sealed class SandboxShapeTests(HostileTenantFixture target)
{
    [Theory]
    [InlineData(BrowserBuild.HeadlessShell)]
    [InlineData(BrowserBuild.Chromium)]
    public async Task Chromium_runs_as_the_unprivileged_user_in_namespaces_of_its_own_with_its_own_sandbox_on(BrowserBuild build)
    {
        await using var provider = await target.StartProvider(Path.Combine(target.SandboxedPods, "..", "build-" + build), sandbox: true, o => o.Build = build);
        var pod = await provider.CreateAsync("default", CancellationToken.None);
        await using var page = await PodPage.OpenAsync(pod);
        var processes = Processes(pod);
        var chromium = processes.Where(IsChromium).ToList();
        Assert.True(chromium.Count >= 3, $"browser, zygotes and helpers; found {chromium.Count}");

        // The GPU and network services run inside the browser's process: two processes fewer to start and tear down per pod.
        // WebGL and canvas still draw (in software, as they did in a GPU process of their own).
        Assert.DoesNotContain(chromium, p => string.Join(' ', Procs.CommandLine(p.Pid)) is var line
            && (line.Contains("--type=gpu-process", StringComparison.Ordinal) || line.Contains("network.mojom.NetworkService", StringComparison.Ordinal)));
        Assert.Contains("SwiftShader", await page.EvaluateAsync(
            "(() => { const gl = document.createElement('canvas').getContext('webgl'); return gl ? gl.getParameter(gl.getExtension('WEBGL_debug_renderer_info').UNMASKED_RENDERER_WEBGL) : 'no webgl'; })()"));
        Assert.Equal("255,0,0,255", await page.EvaluateAsync(
            "(() => { const c = document.createElement('canvas').getContext('2d'); c.fillStyle = 'red'; c.fillRect(0, 0, 4, 4); return c.getImageData(1, 1, 1, 1).data.join(','); })()"));

        foreach (var process in chromium)
        {
            Assert.StartsWith("1000\t", Procs.Status(process.Pid, "Uid"));
            Assert.DoesNotContain("--no-sandbox", string.Join(' ', Procs.CommandLine(process.Pid)).Split(' '));
            foreach (var kind in new[] { "user", "pid", "mnt", "ipc", "uts", "net" })
            {
                Assert.NotEqual(Procs.Namespace(Environment.ProcessId, kind), Procs.Namespace(process.Pid, kind));
            }
        }

        // Chromium's own sandbox, seen from outside: every renderer under a seccomp-bpf filter, in user and PID namespaces
        // of its own (the zygote's), apart from its browser's. Unsandboxed renderers have neither (Seccomp 0).
        var browser = chromium.Single(p => Procs.CommandLine(p.Pid) is var arguments
            && arguments.Any(a => a.StartsWith("--remote-debugging-port", StringComparison.Ordinal))
            && !arguments.Any(a => a.StartsWith("--type=", StringComparison.Ordinal)));
        // (A zygote's child renames itself: its command line is one string.)
        var renderers = chromium.Where(p => string.Join(' ', Procs.CommandLine(p.Pid)).Contains("--type=renderer", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(renderers);
        foreach (var renderer in renderers)
        {
            Assert.Equal("2", Procs.Status(renderer.Pid, "Seccomp"));
            Assert.NotEqual(Procs.Namespace(browser.Pid, "user"), Procs.Namespace(renderer.Pid, "user"));
            Assert.NotEqual(Procs.Namespace(browser.Pid, "pid"), Procs.Namespace(renderer.Pid, "pid"));
        }

        // Full Chromium says so itself; the headless shell has no chrome:// pages.
        if (build == BrowserBuild.Chromium)
        {
            Assert.Null(await page.NavigateAsync("chrome://sandbox"));
            Assert.Contains("You are adequately sandboxed", await page.TextAsync());
        }
    }

    [Fact]
    public async Task Without_the_sandbox_Chromium_runs_as_root_on_this_machines_namespaces_which_is_what_the_control_shows()
    {
        var pod = await target.ControlPod();
        Assert.Null(pod.DevToolsSocket);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", pod.CdpHttpUrl);
        var chromium = Processes(pod).First();

        Assert.StartsWith("0\t", Procs.Status(chromium.Pid, "Uid"));
        Assert.Equal(Procs.Namespace(Environment.ProcessId, "net"), Procs.Namespace(chromium.Pid, "net"));
        Assert.Contains("--no-sandbox", Procs.CommandLine(chromium.Pid));

        await target.Control.DeleteAsync(pod, CancellationToken.None);
    }

    [Fact]
    public async Task Every_pod_process_is_the_kernel_OOM_killers_first_choice_and_each_pod_is_a_scheduling_group_of_its_own()
    {
        var first = await target.SandboxedPod();
        var second = await target.SandboxedPod();

        // Chromium lowers its renderers' scores where the service lacks CAP_SYS_RESOURCE; the watchdog raises them again.
        await Wait.Until(() => Processes(first).All(p => Procs.ReadFile($"/proc/{p.Pid}/oom_score_adj") is "1000" or null), "every pod process has oom_score_adj 1000");
        Assert.NotEqual("1000", Procs.ReadFile($"/proc/{Environment.ProcessId}/oom_score_adj"));

        // One autogroup per pod (its own session): CPU is shared per pod, not per process, and apart from the silo's.
        var firstGroups = Processes(first).Where(IsChromium).Select(p => Procs.ReadFile($"/proc/{p.Pid}/autogroup")).Distinct().ToList();
        var secondGroups = Processes(second).Where(IsChromium).Select(p => Procs.ReadFile($"/proc/{p.Pid}/autogroup")).Distinct().ToList();
        Assert.Single(firstGroups);
        Assert.Single(secondGroups);
        Assert.NotEqual(firstGroups[0], secondGroups[0]);
        Assert.NotEqual(Procs.ReadFile($"/proc/{Environment.ProcessId}/autogroup"), firstGroups[0]);

        await target.Sandboxed.DeleteAsync(first, CancellationToken.None);
        await target.Sandboxed.DeleteAsync(second, CancellationToken.None);
    }

    [Fact]
    public async Task A_configured_CPU_nice_lowers_the_weight_of_each_pods_scheduling_group()
    {
        await using var provider = await target.StartProvider(Path.Combine(target.SandboxedPods, "..", "niced"), sandbox: true, o => o.Limits.CpuNice = 10);
        var pod = await provider.CreateAsync("default", CancellationToken.None);
        var directory = Path.GetDirectoryName(Path.GetDirectoryName(pod.DevToolsSocket))!;
        var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "pod.json")));
        var processes = Procs.Trees(marker.RootElement.GetProperty("processes").EnumerateArray()
            .Select(p => (p.GetProperty("pid").GetInt32(), p.GetProperty("startTicks").GetInt64())));

        Assert.All(processes.Where(IsChromium), p => Assert.EndsWith(" nice 10", Procs.ReadFile($"/proc/{p.Pid}/autogroup")));
        Assert.DoesNotContain(" nice 10", Procs.ReadFile($"/proc/{Environment.ProcessId}/autogroup"));
    }

    [Fact]
    public async Task Turning_the_sandbox_off_is_logged_as_critical()
    {
        var log = new ListLogger<LocalChromiumPodProvider>();
        await using var provider = await target.StartProvider(Path.Combine(target.ControlPods, "..", "opted-out"), sandbox: false, logger: log);

        Assert.Contains(log.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("WITHOUT a sandbox", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("uid")]
    [InlineData("unsearchable parent")]
    [InlineData("unsafe path")]
    [InlineData("long path")]
    public async Task A_provider_that_cannot_sandbox_refuses_to_start_and_says_how_to_opt_out(string problem)
    {
        var parent = Path.Combine(Path.GetTempPath(), "ufb-refuse-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(parent);
        try
        {
            var pods = Path.Combine(parent, "pods");
            Action<LocalChromiumOptions> configure = _ => { };
            switch (problem)
            {
                case "uid":
                    configure = o => o.SandboxUid = 0;
                    break;
                case "unsearchable parent":
                    File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    break;
                case "unsafe path":
                    pods = Path.Combine(parent, "pods,fork");
                    break;
                case "long path":
                    pods = Path.Combine(parent, new string('p', 90));
                    break;
            }

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => target.StartProvider(pods, sandbox: true, configure));

            Assert.Contains("cannot sandbox browsers on this machine", error.Message);
            Assert.Contains("Sandbox=false", error.Message);
            Assert.False(Directory.Exists(pods));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task A_blocked_range_that_is_not_an_IPv4_network_is_a_start_up_error()
    {
        var pods = Path.Combine(target.SandboxedPods, "..", "bad-range");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            target.StartProvider(pods, sandbox: true, o => o.Network.BlockedCidrs = ["10.0.0.0/8", "not-a-range"]));

        Assert.Contains("'not-a-range' in UFBrowsers:LocalChromium:Network:BlockedCidrs", error.Message);
    }

    private static bool IsChromium(Procs.Info process) =>
        Procs.CommandLine(process.Pid).FirstOrDefault()?.StartsWith("/usr/lib/chromium/chromium", StringComparison.Ordinal) == true;

    private List<Procs.Info> Processes(PodLease pod)
    {
        var directory = pod.DevToolsSocket is { } socket
            ? Path.GetDirectoryName(Path.GetDirectoryName(socket))!
            : Path.Combine(target.ControlPods, pod.PodId);
        var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "pod.json")));
        return Procs.Trees(marker.RootElement.GetProperty("processes").EnumerateArray()
            .Select(p => (p.GetProperty("pid").GetInt32(), p.GetProperty("startTicks").GetInt64())));
    }
}
