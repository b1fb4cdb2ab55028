using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.BenchSupport;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Browsers;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.Silo.Profiles;

namespace UFBrowsers.Bench.PodStart;

/// <summary>
/// What a profile adds to a session's start and end, on fresh sandboxed pods: the profile hook's restore (cookies, then each
/// origin's localStorage through an intercepted page) and its capture at the end, against a floor measured on the same pods
/// in the same run: the control plane's CDP connection and one command (what any hook that talks to the browser pays).
/// </summary>
internal static class ProfileRestoreBenchmark
{
    private const int Origins = 3;
    private const int CookiesPerOrigin = 8;
    private const int ItemsPerOrigin = 20;
    private const int ItemBytes = 512;

    public static async Task RunAsync(int rounds)
    {
        var root = Path.Combine(Path.GetTempPath(), "ufb-bench-profile-" + Environment.ProcessId);
        var provider = new LocalChromiumPodProvider(
            Options.Create(new LocalChromiumOptions { PodsDirectory = root, Sandbox = true }),
            new NoLossReporter(),
            NullLogger<LocalChromiumPodProvider>.Instance);
        await provider.StartAsync(CancellationToken.None);
        var transfer = new CdpProfileTransfer(Options.Create(new ProfileOptions()), TimeProvider.System, NullLogger<CdpProfileTransfer>.Instance);
        var state = State();
        Console.WriteLine();
        Console.WriteLine($"Profile state: {state.Cookies.Count} cookies ({Origins} sites, a third HttpOnly), localStorage of {Origins} origins " +
                          $"x {ItemsPerOrigin} items x {ItemBytes} B; {state.Serialize().Length:N0} bytes serialized");

        var floor = new Samples("floor: CDP connect + one command");
        var restore = new Samples("restore (start hook)");
        var capture = new Samples("capture (end hook)");
        try
        {
            for (var i = 0; i < rounds + 3; i++)
            {
                var pod = await provider.CreateAsync("bench", CancellationToken.None);
                try
                {
                    var warm = i >= 3;
                    var started = Stopwatch.GetTimestamp();
                    await using (var cdp = await CdpClient.ConnectAsync(pod, CancellationToken.None))
                    {
                        await cdp.SendAsync("Storage.getCookies", new { });
                    }

                    Add(warm ? floor : null, started);
                    started = Stopwatch.GetTimestamp();
                    await transfer.RestoreAsync(pod, state, CancellationToken.None);
                    Add(warm ? restore : null, started);
                    started = Stopwatch.GetTimestamp();
                    var captured = await transfer.CaptureAsync(pod, state, CancellationToken.None);
                    Add(warm ? capture : null, started);
                    if (captured.Cookies.Count != state.Cookies.Count || captured.Origins.Sum(o => o.LocalStorage.Count) != Origins * ItemsPerOrigin)
                    {
                        throw new InvalidOperationException(
                            $"The capture read {captured.Cookies.Count} cookies and {captured.Origins.Sum(o => o.LocalStorage.Count)} items back, not what was restored.");
                    }
                }
                finally
                {
                    await provider.DeleteAsync(pod, CancellationToken.None);
                }
            }
        }
        finally
        {
            await provider.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("Profile hooks on a fresh sandboxed pod, ms: median, p99");
        foreach (var samples in new[] { floor, restore, capture })
        {
            Console.WriteLine(samples.Line());
        }

        Console.WriteLine($"  restore / floor (median)           {restore.Median / floor.Median,8:F2}");
        Console.WriteLine($"  capture / floor (median)           {capture.Median / floor.Median,8:F2}");
    }

    private static void Add(Samples? samples, long started) => samples?.Add(Stopwatch.GetElapsedTime(started));

    private static ProfileState State()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds();
        var cookies = new List<BrowserCookie>();
        var origins = new List<OriginStorage>();
        for (var site = 0; site < Origins; site++)
        {
            var host = $"site{site}.bench.example";
            for (var c = 0; c < CookiesPerOrigin; c++)
            {
                cookies.Add(new BrowserCookie($"c{c}", Convert.ToHexString(Guid.NewGuid().ToByteArray()), host, "/", expires,
                    HttpOnly: c % 3 == 0, Secure: true, Session: false, SameSite: "Lax", SourceScheme: "Secure", SourcePort: 443));
            }

            var items = Enumerable.Range(0, ItemsPerOrigin)
                .Select(n => new KeyValuePair<string, string>($"key{n}", new string((char)('a' + n % 26), ItemBytes)))
                .ToList();
            origins.Add(new OriginStorage($"https://{host}", items));
        }

        return new ProfileState(cookies, origins);
    }

    private sealed class NoLossReporter : IPodLossReporter
    {
        public Task ReportLostAsync(PodLease pod) => Task.CompletedTask;
    }
}
