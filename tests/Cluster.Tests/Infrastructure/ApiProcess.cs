using System.Diagnostics;
using System.Net.Http.Headers;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Cluster.Tests.Infrastructure;

/// <summary>
/// The built API (UFBrowsers.Api.dll, silo inside) run as its own process the way <c>scripts/run-local.sh</c> runs it:
/// PostgreSQL storage, the local Chromium provider, configuration from the environment. It can be SIGKILLed, which leaves
/// its browsers running as orphans, exactly as a crash of the host process does, and started again on the same data.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _logPath;
    private Process? _process;

    public ApiProcess(IReadOnlyDictionary<string, string> settings, string logPath)
    {
        Port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{Port}";
        _logPath = logPath;
        _environment = new Dictionary<string, string>(settings.Select(s => KeyValuePair.Create("UFBrowsers__" + s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value)))
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["UFBrowsers__Gateway__PublicBaseUrl"] = BaseUrl,
            // Same silo endpoints at every start, as run-local.sh has: the restarted silo declares its dead predecessor dead at once.
            ["UFBrowsers__Silo__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["UFBrowsers__Silo__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public int? Pid => _process?.Id;

    public static string ApiDll
    {
        get
        {
            // tests/Cluster.Tests/bin/<configuration>/net10.0/ -> src/Api/bin/<configuration>/net10.0/UFBrowsers.Api.dll
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = output.Parent!.Name;
            var root = output;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "UFBrowsers.sln")))
            {
                root = root.Parent;
            }

            var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("UFBrowsers.sln not found above the test output"),
                "src", "Api", "bin", configuration, output.Name, "UFBrowsers.Api.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the API first: {dll} is missing.", dll);
        }
    }

    public async Task StartAsync()
    {
        var dll = ApiDll;
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var argument in new[] { dll, "--contentRoot", Path.GetDirectoryName(dll)!, "--urls", BaseUrl })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process = process;
        var log = TextWriter.Synchronized(new StreamWriter(_logPath, append: true) { AutoFlush = true });
        await log.WriteLineAsync($"--- process {process.Id} started {DateTimeOffset.UtcNow:O}");
        _ = CopyAsync(process.StandardOutput, log);
        _ = CopyAsync(process.StandardError, log);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {process.ExitCode} while starting; see {_logPath}");
            }

            try
            {
                if ((await http.GetAsync(BaseUrl + "/health/live")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The API did not answer /health/live within 90 s; see {_logPath}");
    }

    /// <summary>SIGKILL, the process alone: no shutdown runs, its browsers are re-parented and keep running.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Not started.");
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Stops the process the way an operator does (SIGTERM), so it deletes its own browsers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                Signal(process.Id, "TERM");
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            process.Dispose();
            _process = null;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task CopyAsync(StreamReader from, TextWriter to)
    {
        try
        {
            while (await from.ReadLineAsync() is { } line)
            {
                await to.WriteLineAsync(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The process is gone.
        }
    }
}
