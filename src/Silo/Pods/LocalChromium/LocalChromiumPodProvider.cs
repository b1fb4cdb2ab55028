using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Browser pods as headless Chromium on this machine, each in its own sandbox with a fresh profile, deleted with it.
/// </summary>
/// <remarks>
/// How a pod is started is the launcher's business (<see cref="SandboxedPodLauncher"/>, or <see cref="UnsandboxedPodLauncher"/>
/// when an operator opted out); this class keeps the pods: it waits for DevTools, reports a pod that dies on its own (or that
/// the <see cref="ResourceWatchdog"/> kills) to the pool, and destroys every process and file of a pod at release, at stop, at
/// process exit, and, through the <see cref="StalePodSweeper"/>, what a SIGKILLed predecessor left.
/// </remarks>
public sealed partial class LocalChromiumPodProvider : IPodProvider, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly LocalChromiumOptions _options;
    private readonly IPodLossReporter _lossReporter;
    private readonly ILogger _logger;
    private readonly string _root;
    private readonly ConcurrentDictionary<string, LocalChromiumPod> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ProcessSpawner _spawner = new();
    private readonly long? _ownerStartTicks = ProcFs.StartTicks(Environment.ProcessId);
    private readonly Lock _startGate = new();
    private readonly BrowserWarmUp _warmUp;
    private Task? _started;
    private PodLimits _limits = new(null, 0);
    private IPodLauncher? _launcher;
    private StalePodSweeper? _sweeper;
    private Task _watchdog = Task.CompletedTask;
    private int _disposed;

    public LocalChromiumPodProvider(
        IOptions<LocalChromiumOptions> options,
        IPodLossReporter lossReporter,
        ILogger<LocalChromiumPodProvider> logger)
    {
        _options = options.Value;
        _lossReporter = lossReporter;
        _logger = logger;
        _warmUp = new BrowserWarmUp(_options.WarmUp, logger);
        _root = Path.GetFullPath(_options.PodsDirectory);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <remarks>Every local pod is alike: an on-demand pod is made the same way as a warm one.</remarks>
    public async Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodePool);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        ThrowIfStopping();
        await EnsureStartedAsync(cancellationToken);

        var browser = BrowserLaunch.For(_options, nodePool);
        if (string.IsNullOrWhiteSpace(browser.Executable) || !File.Exists(browser.Executable))
        {
            throw new InvalidOperationException(
                $"The {browser.Build} executable of node pool '{nodePool}' was not found at '{browser.Executable}'. Install it " +
                $"(bash scripts/install-deps.sh), or set {LocalChromiumOptions.Section}:ExecutablePath (CHROMIUM_PATH) or " +
                $"{LocalChromiumOptions.Section}:NodePools:{nodePool}:ExecutablePath.");
        }

        var id = LocalChromiumPodIds.New();
        var pod = new LocalChromiumPod(id, nodePool, new PodDirectory(Path.Combine(_root, id)));
        _pods[id] = pod;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            limit.CancelAfter(_options.StartTimeout);
            var lease = await StartAsync(pod, browser, limit.Token, cancellationToken);
            if (assignment is null && _options.WarmUp.Enabled)
            {
                await WarmUpAsync(pod, lease, limit.Token, cancellationToken);
            }

            ThrowIfStopping();
            _ = WatchForExitAsync(pod);
            _logger.LogInformation(
                "Chromium pod {PodId} for node pool {NodePool} is ready ({Build}, pid {Pid}, DevTools {DevTools})",
                id, nodePool, browser.Build, pod.Browser?.Pid, lease.DevToolsSocket ?? lease.CdpHttpUrl);
            return lease;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Chromium pod {PodId} (pid {Pid}) failed to start; removing it", id, pod.Browser?.Pid);
            await DestroyAsync(pod);
            throw;
        }
    }

    /// <summary>Local pods carry no labels; the pool's own bookkeeping is all there is to update.</summary>
    public Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task DeleteAsync(PodLease pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (_pods.TryGetValue(pod.PodId, out var local))
        {
            await DestroyAsync(local).WaitAsync(cancellationToken);
            return;
        }

        // Already deleted or lost, or left by an earlier provider: make sure nothing of it remains.
        if (LocalChromiumPodIds.IsPodId(pod.PodId) && _sweeper is { } sweeper)
        {
            var directory = Path.Combine(_root, pod.PodId);
            if (Directory.Exists(directory))
            {
                await sweeper.RemoveAsync(directory).WaitAsync(cancellationToken);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => EnsureStartedAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_pods.Values.Select(DestroyAsync)).WaitAsync(cancellationToken);
        await _watchdog;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await StopAsync(CancellationToken.None);
        _spawner.Dispose();
    }

    /// <summary>Checks the machine, chooses how limits are kept and sweeps stale pods, once, before the first pod.</summary>
    private Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        lock (_startGate)
        {
            if (_started is null || _started.IsFaulted || _started.IsCanceled)
            {
                _started = StartOnceAsync(cancellationToken);
            }

            return _started;
        }
    }

    private async Task StartOnceAsync(CancellationToken cancellationToken)
    {
        if (_options.Sandbox)
        {
            await SandboxPreflight.CheckAsync(_options, _root, _spawner, cancellationToken);
        }
        else
        {
            _logger.LogCritical(
                "{Section}:Sandbox is false: browsers run WITHOUT a sandbox, as this service's user with --no-sandbox and DevTools on " +
                "127.0.0.1. Every page can read this machine's files and reach its services and every other browser. Never use this " +
                "with tenants you do not trust.",
                LocalChromiumOptions.Section);
        }

        var cgroups = _options.Limits.CgroupParent is { Length: > 0 } parent ? PodCgroups.Open(parent, _options.Limits) : null;
        _limits = new PodLimits(cgroups, _options.Limits.CpuNice);
        _launcher = _options.Sandbox
            ? new SandboxedPodLauncher(_options, _spawner, _limits)
            : new UnsandboxedPodLauncher(_options, _spawner, _limits);
        _sweeper = new StalePodSweeper(_root, cgroups, _logger);

        PrepareRoot();
        if (!ProcFs.IsAvailable)
        {
            _logger.LogWarning("No /proc on this system: processes of stale pods cannot be found, only their directories removed");
        }

        await _sweeper.SweepAsync(_pods.ContainsKey, cancellationToken);

        if (cgroups is null)
        {
            var watchdog = new ResourceWatchdog(_options.Limits, () => _pods.Values, KillOverMemory, _logger);
            _watchdog = Task.Run(() => watchdog.RunAsync(_stopping.Token), CancellationToken.None);
        }

        _logger.LogInformation(
            "Local Chromium pods: {Sandbox}; {Limits}; memory {Memory} MiB, CPU {Cpu} millicores per pod; pods in {Directory}",
            _options.Sandbox ? "sandboxed (bubblewrap, own network namespace, DevTools over a Unix socket)" : "NOT sandboxed",
            cgroups is null ? "limits kept by the memory watchdog and scheduler weights (no delegated cgroup v2)" : $"limits kept by cgroup v2 under {cgroups.Parent}",
            _options.Limits.MemoryMebibytes, _options.Limits.CpuMillicores, _root);
    }

    /// <summary>The pods directory is this service's alone; the sandbox's group may only pass through it to its pod's folders.</summary>
    private void PrepareRoot()
    {
        Directory.CreateDirectory(_root);
        if (_options.Sandbox)
        {
            UnixFiles.SetMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        }
        else
        {
            UnixFiles.SetMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task<PodLease> StartAsync(LocalChromiumPod pod, BrowserLaunch browser, CancellationToken limit, CancellationToken caller)
    {
        var launcher = _launcher!;
        try
        {
            await launcher.LaunchAsync(pod, browser, limit);
            new LocalChromiumPodMarker(
                    pod.Id, pod.NodePool, pod.Browser!.Pid, DateTimeOffset.UtcNow, Environment.ProcessId, _ownerStartTicks,
                    _options.Sandbox, pod.Roots)
                .Write(pod.Directory.Path);

            var lease = await WaitForDevToolsAsync(pod, launcher, limit);
            pod.Lease = lease;
            launcher.Started(pod);
            return lease;
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            ThrowIfStopping();
            throw new TimeoutException(
                $"Chromium for pod {pod.Id} did not answer on DevTools within {_options.StartTimeout.TotalSeconds:0.#} s.{StderrSuffix(pod)}");
        }
    }

    /// <summary>
    /// Readies a warm pod's browser (<see cref="BrowserWarmUp"/>). Only a browser that died fails the start: the warm-up is
    /// worth time to the customer, so a browser it could not finish is handed out as it is.
    /// </summary>
    private async Task WarmUpAsync(LocalChromiumPod pod, PodLease lease, CancellationToken limit, CancellationToken caller)
    {
        try
        {
            await _warmUp.RunAsync(pod.Id, lease, limit);
        }
        catch (Exception ex) when (ex is CdpException or WebSocketException or HttpRequestException or IOException or JsonException
                                   or KeyNotFoundException or InvalidOperationException
                                   || (ex is OperationCanceledException && !caller.IsCancellationRequested && !_stopping.IsCancellationRequested))
        {
            if (pod.Processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException(
                    $"The {exited.Role} process of pod {pod.Id} exited with code {exited.ExitCode} during its warm-up.{StderrSuffix(pod)}", ex);
            }

            _logger.LogWarning(ex, "The warm-up of Chromium pod {PodId} did not finish; it is handed out as it is", pod.Id);
        }
    }

    private async Task<PodLease> WaitForDevToolsAsync(LocalChromiumPod pod, IPodLauncher launcher, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (pod.Processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException(
                    $"The {exited.Role} process of pod {pod.Id} exited with code {exited.ExitCode} before DevTools answered.{StderrSuffix(pod)}");
            }

            if (await launcher.TryLeaseAsync(pod, cancellationToken) is { } lease)
            {
                return lease;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static string StderrSuffix(LocalChromiumPod pod) =>
        pod.StderrTail() is { Length: > 0 } tail ? $" Last output:{Environment.NewLine}{tail}" : "";

    private void KillOverMemory(LocalChromiumPod pod, long usedBytes)
    {
        var reason = $"it used {usedBytes / (1024 * 1024)} MiB, over its limit of {_options.Limits.MemoryMebibytes} MiB";
        if (pod.TrySetKillReason(reason))
        {
            _logger.LogWarning("Killing Chromium pod {PodId}: {Reason}", pod.Id, reason);
            PodReaper.KillAllNow(pod.Roots);
        }
    }

    private async Task WatchForExitAsync(LocalChromiumPod pod)
    {
        var exited = await Task.WhenAny(pod.Processes.Select(p => p.Exited));
        if (!pod.TryMarkLost())
        {
            return;
        }

        var which = pod.Processes.FirstOrDefault(p => p.Exited == exited);
        var reason = pod.KillReason ?? _limits.WhyKilled(pod);
        _logger.LogWarning(
            "Chromium pod {PodId} is lost: its {Role} process (pid {Pid}) exited with code {ExitCode}{Reason}",
            pod.Id, which?.Role, which?.Pid, which?.ExitCode, reason is null ? " on its own" : $", killed because {reason}");
        await DestroyAsync(pod);
        try
        {
            await _lossReporter.ReportLostAsync(pod.Lease!);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Reporting the loss of Chromium pod {PodId} failed", pod.Id);
        }
    }

    private async Task DestroyAsync(LocalChromiumPod pod)
    {
        await pod.DestroyOnce(async () =>
        {
            var survivors = await PodReaper.KillAllAsync(pod.Roots, pod.Directory.Path, StalePodSweeper.ExitWait);
            if (survivors.Count > 0)
            {
                _logger.LogWarning("Processes {Pids} of Chromium pod {PodId} did not exit within {Seconds} s of being killed",
                    survivors, pod.Id, StalePodSweeper.ExitWait.TotalSeconds);
            }

            foreach (var process in pod.Processes)
            {
                // Reap them (they are this process's children) before their pids can be reused.
                await process.Exited.WaitAsync(StalePodSweeper.ExitWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                process.Dispose();
            }

            await _limits.ReleaseAsync(pod);
            await PodDirectory.DeleteAsync(_root, pod.Directory.Path, _logger);
            _logger.LogInformation("Chromium pod {PodId} (pid {Pid}) deleted", pod.Id, pod.Browser?.Pid);
        });
        _pods.TryRemove(new KeyValuePair<string, LocalChromiumPod>(pod.Id, pod));
    }

    private void ThrowIfStopping()
    {
        if (_stopping.IsCancellationRequested)
        {
            throw new InvalidOperationException("The local Chromium pod provider has stopped.");
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // Last resort when the host did not stop us: kill synchronously, nothing may be awaited here.
        _stopping.Cancel();
        foreach (var pod in _pods.Values)
        {
            pod.MarkEnding();
        }

        PodReaper.KillAllNow(_pods.Values.SelectMany(pod => pod.Roots));
        foreach (var pod in _pods.Values)
        {
            try
            {
                Directory.Delete(pod.Directory.Path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The next provider's StartAsync removes what is left.
            }
        }
    }
}
