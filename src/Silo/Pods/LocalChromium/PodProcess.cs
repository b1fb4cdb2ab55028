using System.Diagnostics;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>One process the provider started for a pod, with the last lines it wrote to stderr (for error messages).</summary>
internal sealed class PodProcess : IDisposable
{
    private const int StderrLinesKept = 10;

    // What Chromium writes to stderr once its DevTools server listens.
    private const string DevToolsListeningLine = "DevTools listening on ";

    private readonly Queue<string> _stderrTail = new();
    private readonly TaskCompletionSource _devToolsListening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PodProcess(string role, Process process, ProcessIdentity identity)
    {
        Role = role;
        Process = process;
        Identity = identity;
        Exited = WaitForExitAsync(process);
    }

    /// <summary>What the process is for: <c>browser</c>, <c>network</c> or <c>bridge</c>.</summary>
    public string Role { get; }

    public Process Process { get; }

    public ProcessIdentity Identity { get; }

    public int Pid => Identity.Pid;

    /// <summary>Completes when the process has exited (and been reaped).</summary>
    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>
    /// Completes when the process (or the browser it became) has said on stderr that DevTools listens: a hint of when to
    /// look, not a proof; what DevTools answers is checked on its own.
    /// </summary>
    public Task DevToolsListening => _devToolsListening.Task;

    public int? ExitCode
    {
        get
        {
            try
            {
                return Process.HasExited ? Process.ExitCode : null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>Starts the process from the spawner thread; stderr is kept in a short tail, stdout is left to the caller if <paramref name="readStdout"/>.</summary>
    public static async Task<PodProcess> StartAsync(ProcessSpawner spawner, string role, ProcessStartInfo start, bool readStdout = false)
    {
        var process = await spawner.StartAsync(start);
        // The start time is read at once, while the process certainly is ours; a pid alone could be reused after it dies.
        var identity = new ProcessIdentity(process.Id, ProcFs.StartTicks(process.Id) ?? 0);
        var pod = new PodProcess(role, process, identity);
        process.ErrorDataReceived += (_, line) => pod.KeepStderr(line.Data);
        process.BeginErrorReadLine();
        if (start.RedirectStandardOutput && !readStdout)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }

        return pod;
    }

    public string StderrTail()
    {
        lock (_stderrTail)
        {
            return string.Join(Environment.NewLine, _stderrTail);
        }
    }

    public void Dispose() => Process.Dispose();

    private void KeepStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(DevToolsListeningLine, StringComparison.Ordinal))
        {
            _devToolsListening.TrySetResult();
        }

        lock (_stderrTail)
        {
            if (_stderrTail.Count == StderrLinesKept)
            {
                _stderrTail.Dequeue();
            }

            _stderrTail.Enqueue(line);
        }
    }

    private static async Task WaitForExitAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // Disposed: nothing left to wait for.
        }
    }
}
