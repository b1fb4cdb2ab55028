using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Browser pods as headless Chromium processes on this machine, each with a fresh profile that is deleted with it.
/// </summary>
/// <remarks>
/// Each pod lives in <c>PodsDirectory/&lt;pod id&gt;</c>: <c>profile/</c> (the user-data-dir), <c>home/</c> (HOME, so nothing
/// is shared through the silo user's home) and <c>pod.json</c> (<see cref="LocalChromiumPodMarker"/>).
/// If the silo is SIGKILLed, neither <see cref="StopAsync"/> nor the ProcessExit hook runs and its Chromium processes are
/// re-parented and keep running. The next provider's <see cref="StartAsync"/> finds their directories, kills every process whose
/// command line names the pod's profile directory, and deletes the directories.
/// </remarks>
public sealed partial class LocalChromiumPodProvider : IPodProvider, IHostedService, IAsyncDisposable
{
    private const string PodIdPrefix = "chromium-";

    private static readonly string[] BaseArguments =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-dev-shm-usage",
        "--mute-audio",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-breakpad",
        "--disable-crash-reporter",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--metrics-recording-only",
        "--password-store=basic",
        "--use-mock-keychain",
        "--disable-features=Translate,MediaRouter,OptimizationHints",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
    ];

    // The browser is driven by customers: it gets none of the silo's environment (connection strings, keys) beyond these.
    private static readonly string[] InheritedEnvironment = ["PATH", "LANG", "LANGUAGE", "LC_ALL", "TZ", "FONTCONFIG_PATH", "FONTCONFIG_FILE"];

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private readonly LocalChromiumOptions _options;
    private readonly IPodLossReporter _lossReporter;
    private readonly ILogger _logger;
    private readonly string _root;
    private readonly ConcurrentDictionary<string, LocalChromiumPod> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http;
    private readonly long? _ownerStartTicks = ProcFs.StartTicks(Environment.ProcessId);
    private int _disposed;

    public LocalChromiumPodProvider(
        IOptions<LocalChromiumOptions> options,
        IPodLossReporter lossReporter,
        ILogger<LocalChromiumPodProvider> logger)
    {
        _options = options.Value;
        _lossReporter = lossReporter;
        _logger = logger;
        _root = Path.GetFullPath(_options.PodsDirectory);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <remarks>Every local pod is alike: an on-demand pod is made the same way as a warm one.</remarks>
    public async Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodePool);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        ThrowIfStopping();

        var executable = _options.ExecutablePath;
        if (string.IsNullOrWhiteSpace(executable) || !File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium executable not found at '{executable}'. Set {LocalChromiumOptions.Section}:ExecutablePath or CHROMIUM_PATH.");
        }

        var id = PodIdPrefix + Guid.NewGuid().ToString("N");
        var pod = new LocalChromiumPod(id, nodePool, Path.Combine(_root, id));
        _pods[id] = pod;
        Process? process = null;
        try
        {
            Directory.CreateDirectory(pod.ProfileDirectory);
            Directory.CreateDirectory(HomeDirectory(pod));
            process = StartProcess(pod, executable);
            if (!pod.TryAttach(process))
            {
                throw new InvalidOperationException("The local Chromium pod provider has stopped.");
            }

            new LocalChromiumPodMarker(id, nodePool, process.Id, DateTimeOffset.UtcNow, Environment.ProcessId, _ownerStartTicks)
                .Write(pod.Directory);

            var lease = await WaitForDevToolsAsync(pod, process, cancellationToken);
            pod.Lease = lease;
            ThrowIfStopping();
            _ = WatchForExitAsync(pod, process);
            _logger.LogInformation(
                "Chromium pod {PodId} for node pool {NodePool} is ready (pid {Pid}, port {Port})",
                id, nodePool, process.Id, new Uri(lease.CdpHttpUrl).Port);
            return lease;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Chromium pod {PodId} (pid {Pid}) failed to start; removing it", id, pod.Pid);
            await DestroyAsync(pod);
            if (process is not null && pod.Process is null)
            {
                // Stopped between start and attach: the shared destruction never saw this process.
                await DestroyProcessAndFilesAsync(pod, process);
            }

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
        if (IsPodDirectoryName(pod.PodId))
        {
            var directory = Path.Combine(_root, pod.PodId);
            if (Directory.Exists(directory))
            {
                await RemoveLeftoverPodAsync(directory).WaitAsync(cancellationToken);
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        if (!ProcFs.IsAvailable)
        {
            _logger.LogWarning("No /proc on this system: Chromium processes of stale pods cannot be found, only their directories removed");
        }

        foreach (var directory in Directory.GetDirectories(_root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_pods.ContainsKey(Path.GetFileName(directory)))
            {
                await RemoveLeftoverPodAsync(directory);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_pods.Values.Select(DestroyAsync)).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await StopAsync(CancellationToken.None);
        _http.Dispose();
    }

    private void ThrowIfStopping()
    {
        if (_stopping.IsCancellationRequested)
        {
            throw new InvalidOperationException("The local Chromium pod provider has stopped.");
        }
    }

    private static string HomeDirectory(LocalChromiumPod pod) => Path.Combine(pod.Directory, "home");

    private static bool IsPodDirectoryName(string podId) =>
        podId.StartsWith(PodIdPrefix, StringComparison.Ordinal) && podId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private Process StartProcess(LocalChromiumPod pod, string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = pod.Directory,
        };
        foreach (var argument in BaseArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--user-data-dir=" + pod.ProfileDirectory);
        foreach (var argument in _options.ExtraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("about:blank");

        start.Environment.Clear();
        foreach (var name in InheritedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        var home = HomeDirectory(pod);
        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Chromium '{executable}' did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"Chromium '{executable}' could not be started: {ex.Message}", ex);
        }

        // Read both pipes to the end so Chromium never blocks on a full pipe; stderr's last lines explain a failed start.
        _ = DrainAsync(process.StandardOutput, _ => { });
        _ = DrainAsync(process.StandardError, pod.AddStderrLine);
        return process;
    }

    private static async Task DrainAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                onLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was disposed under us: nothing left to read.
        }
    }

    private async Task<PodLease> WaitForDevToolsAsync(LocalChromiumPod pod, Process process, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        limit.CancelAfter(_options.StartTimeout);
        var portFile = Path.Combine(pod.ProfileDirectory, "DevToolsActivePort");
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException(
                        $"Chromium for pod {pod.Id} exited with code {process.ExitCode} before DevTools answered.{StderrSuffix(pod)}");
                }

                if (TryReadDevToolsActivePort(portFile) is (var port, var browserPath))
                {
                    var httpUrl = $"http://127.0.0.1:{port}";
                    var webSocketUrl = $"ws://127.0.0.1:{port}{browserPath}";
                    if (await DevToolsAnswersAsync(httpUrl, webSocketUrl, limit.Token))
                    {
                        return new PodLease(pod.Id, pod.NodePool, webSocketUrl, httpUrl);
                    }
                }

                await Task.Delay(PollInterval, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (_stopping.IsCancellationRequested)
            {
                throw new InvalidOperationException("The local Chromium pod provider has stopped.");
            }

            throw new TimeoutException(
                $"Chromium for pod {pod.Id} did not answer on DevTools within {_options.StartTimeout.TotalSeconds:0.#} s.{StderrSuffix(pod)}");
        }
    }

    private static string StderrSuffix(LocalChromiumPod pod) =>
        pod.StderrTail() is { Length: > 0 } tail ? $" Last output:{Environment.NewLine}{tail}" : "";

    /// <summary>Chromium writes the port on line 1 and the browser target path on line 2, once it listens.</summary>
    private static (int Port, string BrowserPath)? TryReadDevToolsActivePort(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (lines.Length < 2
            || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is <= 0 or > 65535
            || !lines[1].StartsWith("/devtools/browser/", StringComparison.Ordinal))
        {
            return null;
        }

        return (port, lines[1].Trim());
    }

    private async Task<bool> DevToolsAnswersAsync(string httpUrl, string webSocketUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(httpUrl + "/json/version", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var version = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return version.RootElement.TryGetProperty("webSocketDebuggerUrl", out var url) && url.GetString() == webSocketUrl;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private async Task WatchForExitAsync(LocalChromiumPod pod, Process process)
    {
        int? exitCode = null;
        try
        {
            await process.WaitForExitAsync();
            exitCode = process.ExitCode;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // Disposed by a deletion, which also means the exit was not a loss.
        }

        if (!pod.TryMarkLost())
        {
            return;
        }

        _logger.LogWarning("Chromium pod {PodId} (pid {Pid}) exited on its own with code {ExitCode}", pod.Id, pod.Pid, exitCode);
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
            await DestroyProcessAndFilesAsync(pod, pod.Process);
            _logger.LogInformation("Chromium pod {PodId} (pid {Pid}) deleted", pod.Id, pod.Pid);
        });
        _pods.TryRemove(new KeyValuePair<string, LocalChromiumPod>(pod.Id, pod));
    }

    private async Task DestroyProcessAndFilesAsync(LocalChromiumPod pod, Process? process)
    {
        if (process is not null)
        {
            KillTree(process);
            using var wait = new CancellationTokenSource(ExitWait);
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("Chromium pod {PodId} (pid {Pid}) did not exit within {Seconds} s of being killed", pod.Id, pod.Pid, ExitWait.TotalSeconds);
            }
        }

        // Children re-parented after the browser died are not in its tree any more; they still name the profile.
        await KillRemainingProcessesAsync(pod.ProfileDirectory);
        await DeleteDirectoryAsync(pod.Directory);
        process?.Dispose();
    }

    private async Task RemoveLeftoverPodAsync(string directory)
    {
        var marker = LocalChromiumPodMarker.TryRead(directory);
        if (marker is not null
            && marker.OwnerPid != Environment.ProcessId
            && ProcFs.IsRunning(marker.OwnerPid, marker.OwnerStartTicks))
        {
            _logger.LogWarning(
                "Pod directory {Directory} belongs to running process {OwnerPid}; leaving it (give each silo its own PodsDirectory)",
                directory, marker.OwnerPid);
            return;
        }

        var profile = Path.Combine(directory, "profile");
        if (marker is not null && ProcFs.References(marker.Pid, profile))
        {
            _logger.LogInformation("Killing stale Chromium pod {PodId} (pid {Pid}) left by an earlier provider", marker.PodId, marker.Pid);
            KillIfItNames(marker.Pid, profile);
        }

        await KillRemainingProcessesAsync(profile);
        await DeleteDirectoryAsync(directory);
    }

    private async Task KillRemainingProcessesAsync(string profileDirectory)
    {
        var deadline = DateTime.UtcNow + ExitWait;
        while (ProcFs.ProcessesReferencing(profileDirectory) is { Count: > 0 } remaining)
        {
            if (DateTime.UtcNow > deadline)
            {
                _logger.LogWarning("Processes {Pids} using {Directory} did not exit", remaining, profileDirectory);
                return;
            }

            foreach (var pid in remaining)
            {
                KillIfItNames(pid, profileDirectory);
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Kills the process only if its command line names the directory, so a reused pid is never hit.</summary>
    private static void KillIfItNames(int pid, string profileDirectory)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (ProcFs.References(pid, profileDirectory))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or AggregateException)
        {
            // Gone already, or not ours to kill.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or AggregateException)
        {
            // Already exited.
        }
    }

    private async Task DeleteDirectoryAsync(string directory)
    {
        if (!string.Equals(Path.GetDirectoryName(directory), _root, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing to delete '{directory}': it is not a pod directory under '{_root}'.");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A dying Chromium may still be writing into its profile.
                if (attempt == 10)
                {
                    _logger.LogWarning(ex, "Could not delete pod directory {Directory}", directory);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // Last resort when the host did not stop us: kill synchronously, nothing may be awaited here.
        _stopping.Cancel();
        foreach (var pod in _pods.Values)
        {
            pod.MarkEnding();
            if (pod.Process is { } process)
            {
                KillTree(process);
            }
        }

        foreach (var pod in _pods.Values)
        {
            try
            {
                Directory.Delete(pod.Directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The next provider's StartAsync removes what is left.
            }
        }
    }
}
