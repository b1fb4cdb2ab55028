using System.Diagnostics;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>
/// A page reaches the internet and nothing of this machine: not its loopback (the API, PostgreSQL), not its own addresses,
/// not private or link-local ranges. Each blocked attempt is shown to succeed from a pod without the sandbox.
/// </summary>
[Collection(HostileTenantCollection.Name)]
public sealed class NetworkFenceTests(HostileTenantFixture target)
{
    /// <summary>Far below a TCP connect timeout: a blocked address must fail at once, not hang until the page gives up.</summary>
    private static readonly TimeSpan Immediately = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_service_on_this_machines_loopback_is_not_reached_by_navigation_fetch_or_websocket()
    {
        var service = $"http://127.0.0.1:{target.ServicePort}";
        await AssertReachedOnlyWithoutSandbox(service, $"ws://127.0.0.1:{target.ServicePort}/ws");
    }

    [Fact]
    public async Task A_service_on_this_machines_own_address_is_not_reached()
    {
        var service = $"http://{target.HostAddress}:{target.ServicePort}";
        await AssertReachedOnlyWithoutSandbox(service, $"ws://{target.HostAddress}:{target.ServicePort}/ws");
    }

    [Fact]
    public async Task PostgreSQL_on_loopback_is_not_reached()
    {
        var postgres = $"http://127.0.0.1:{target.Postgres.Port}/";
        var pod = await target.SandboxedPod();
        var control = await target.ControlPod();

        await using (var page = await PodPage.OpenAsync(control))
        {
            // PostgreSQL accepts the connection and answers no HTTP: reached.
            Assert.Contains(await page.NavigateAsync(postgres), new[] { "net::ERR_EMPTY_RESPONSE", "net::ERR_INVALID_HTTP_RESPONSE" });
        }

        await using (var page = await PodPage.OpenAsync(pod))
        {
            Assert.Equal("net::ERR_CONNECTION_REFUSED", await page.NavigateAsync(postgres));
            Assert.Equal("failed", await page.FetchAsync(postgres));
        }

        await Release(pod, control);
    }

    [Fact]
    public async Task Private_and_link_local_ranges_fail_at_once()
    {
        var pod = await target.SandboxedPod();
        var control = await target.ControlPod();

        await using (var page = await PodPage.OpenAsync(control))
        {
            foreach (var (range, address) in target.Network.PrivateAddresses)
            {
                Assert.True(await page.NavigateAsync($"http://{address}/") is null, $"the control reaches {address} in {range}");
                Assert.Equal(HostileTenantFixture.Reached, await page.TextAsync());
            }
        }

        await using (var page = await PodPage.OpenAsync(pod))
        {
            foreach (var address in target.Network.PrivateAddresses.Values.Append("169.254.169.254").Append("10.0.2.2").Append("10.0.2.3"))
            {
                var started = Stopwatch.StartNew();
                var error = await page.NavigateAsync($"http://{address}/");
                Assert.True(error == "net::ERR_NETWORK_ACCESS_DENIED", $"http://{address}/ gave {error ?? "a page"}");
                Assert.True(started.Elapsed < Immediately, $"http://{address}/ took {started.Elapsed}");
                Assert.Equal("failed", await page.FetchAsync($"http://{address}/"));
                Assert.Equal("error", await page.WebSocketAsync($"ws://{address}/ws"));
            }
        }

        await Release(pod, control);
    }

    [Fact]
    public async Task A_server_outside_this_machine_is_reached_by_navigation_fetch_and_websocket()
    {
        var pod = await target.SandboxedPod();
        await using var page = await PodPage.OpenAsync(pod);

        Assert.Null(await page.NavigateAsync(target.Network.PublicUrl + "/"));
        Assert.Equal(HostileTenantFixture.Reached, await page.TextAsync());
        Assert.Equal("ok", await page.FetchAsync(target.Network.PublicUrl + "/"));
        Assert.Equal("open", await page.WebSocketAsync($"ws://{target.Network.PublicAddress}/ws"));

        // Names are resolved by the user-mode network's DNS forwarder, whatever this machine's resolver is.
        Assert.Null(await page.NavigateAsync("file:///etc/resolv.conf"));
        Assert.Equal("nameserver 10.0.2.3", (await page.TextAsync())?.Trim());

        await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
    }

    private async Task AssertReachedOnlyWithoutSandbox(string service, string webSocket)
    {
        var pod = await target.SandboxedPod();
        var control = await target.ControlPod();

        await using (var page = await PodPage.OpenAsync(control))
        {
            Assert.Null(await page.NavigateAsync(service + "/"));
            Assert.Equal(HostileTenantFixture.Reached, await page.TextAsync());
            Assert.Equal("ok", await page.FetchAsync(service + "/"));
            Assert.Equal("open", await page.WebSocketAsync(webSocket));
        }

        await using (var page = await PodPage.OpenAsync(pod))
        {
            var error = await page.NavigateAsync(service + "/");
            Assert.True(error is "net::ERR_CONNECTION_REFUSED" or "net::ERR_NETWORK_ACCESS_DENIED", $"{service} gave {error ?? "a page"}");
            Assert.NotEqual(HostileTenantFixture.Reached, await page.TextAsync());
            Assert.Equal("failed", await page.FetchAsync(service + "/"));
            Assert.Equal("error", await page.WebSocketAsync(webSocket));
        }

        await Release(pod, control);
    }

    private async Task Release(Pods.PodLease pod, Pods.PodLease control)
    {
        await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
        await target.Control.DeleteAsync(control, CancellationToken.None);
    }
}
