using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>
/// The floor: Chromium launched directly (the local provider with <c>Sandbox=false</c>: the product's own command line and
/// warm-up, no sandbox, no gateway, no control plane), kept ready ahead of use and handed out only once it has idled for
/// <c>--floor-age</c>; a browser handed out is replaced after the product pool's refill delay. The client connects to its DevTools port itself. Waiting for a ready browser is not counted in the
/// floor's time to a usable page.
/// </summary>
internal sealed class FloorPages : IPageSource
{
    private const string NodePool = "floor";

    private readonly LocalChromiumPodProvider _provider;
    private readonly TimeSpan _age;
    private readonly TimeSpan _refillDelay;
    private readonly Channel<ReadyBrowser> _ready = Channel.CreateUnbounded<ReadyBrowser>();
    private readonly SemaphoreSlim _refill = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _refilling;
    private int _target = 2;
    private int _stocked;
    private long _misses;

    private FloorPages(VariantSpec spec, LocalChromiumPodProvider provider, TimeSpan age, TimeSpan refillDelay)
    {
        _refillDelay = refillDelay;
        Spec = spec;
        _provider = provider;
        _age = age;
        _refilling = Task.Run(RefillAsync);
    }

    public VariantSpec Spec { get; }

    /// <summary>How many browsers are kept ready (or starting).</summary>
    public int Target
    {
        get => Volatile.Read(ref _target);
        set
        {
            Volatile.Write(ref _target, value);
            _refill.Release();
        }
    }

    public static async Task<FloorPages> StartAsync(VariantSpec spec, string podsDirectory, TimeSpan age, TimeSpan refillDelay)
    {
        var options = new LocalChromiumOptions { PodsDirectory = podsDirectory, Sandbox = false };
        if (spec.BuildSetting is { } build)
        {
            options.Build = Enum.Parse<BrowserBuild>(build);
        }

        options.WarmUp.Enabled = !spec.Cold;
        var provider = new LocalChromiumPodProvider(Options.Create(options), new NoLossReporter(), NullLogger<LocalChromiumPodProvider>.Instance);
        await provider.StartAsync(CancellationToken.None);
        return new FloorPages(spec, provider, age, refillDelay);
    }

    public async Task<BrowserHandout> OpenAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        if (!_ready.Reader.TryRead(out var browser))
        {
            Interlocked.Increment(ref _misses);
            browser = await _ready.Reader.ReadAsync(cancellationToken);
        }

        Interlocked.Decrement(ref _stocked);
        // As the product's pool does: the replacement waits the refill delay while another browser is ready.
        if (_refillDelay > TimeSpan.Zero && _ready.Reader.Count > 0)
        {
            _ = Task.Delay(_refillDelay, CancellationToken.None).ContinueWith(_ => _refill.Release(), TaskScheduler.Default);
        }
        else
        {
            _refill.Release();
        }
        var idle = TimeProvider.System.GetElapsedTime(browser.ReadyAt);
        if (idle < _age)
        {
            await Task.Delay(_age - idle, cancellationToken);
        }

        return new BrowserHandout(browser.Lease.CdpWebSocketUrl, TimeProvider.System.GetElapsedTime(started), CreateIsCustomerTime: false,
            () => _provider.DeleteAsync(browser.Lease, CancellationToken.None));
    }

    public async Task WaitUntilWarmAsync(CancellationToken cancellationToken)
    {
        while (_ready.Reader.Count < Target)
        {
            await Task.Delay(50, cancellationToken);
        }

        await Task.Delay(_age, cancellationToken);
    }

    public Task<long> MissesAsync() => Task.FromResult(Interlocked.Read(ref _misses));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refilling;
        await _provider.DisposeAsync();
    }

    /// <summary>Launches one browser at a time (as the product's pool starts its refills) until <see cref="Target"/> are stocked.</summary>
    private async Task RefillAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                while (Volatile.Read(ref _stocked) < Target)
                {
                    Interlocked.Increment(ref _stocked);
                    var lease = await _provider.CreateAsync(NodePool, _stopping.Token);
                    _ready.Writer.TryWrite(new ReadyBrowser(lease, TimeProvider.System.GetTimestamp()));
                }

                await _refill.WaitAsync(_stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private sealed record ReadyBrowser(PodLease Lease, long ReadyAt);

    private sealed class NoLossReporter : IPodLossReporter
    {
        public Task ReportLostAsync(PodLease pod) => Task.CompletedTask;
    }
}
