using System.Collections.Concurrent;
using System.Diagnostics;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Starts the provider's processes from one thread that lives as long as the provider.
/// </summary>
/// <remarks>
/// The sandbox's processes die with their parent (<c>bwrap --die-with-parent</c>, <c>setpriv --pdeathsig</c>), so a SIGKILLed
/// silo leaves nothing running. Linux sends that signal when the parent <em>thread</em> ends, and <see cref="Process.Start()"/>
/// forks on the calling thread: started from a thread-pool thread, a pod would be killed whenever the pool retired that
/// idle thread. From this thread, they die only with the provider or the process.
/// </remarks>
internal sealed class ProcessSpawner : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> _requests = new();
    private readonly Thread _thread;

    public ProcessSpawner()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "ufb-pod-spawner" };
        _thread.Start();
    }

    public Task<Process> StartAsync(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add((start, started));
        }
        catch (InvalidOperationException)
        {
            started.SetException(new ObjectDisposedException(nameof(ProcessSpawner)));
        }

        return started.Task;
    }

    public void Dispose() => _requests.CompleteAdding();

    private void Run()
    {
        foreach (var (start, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"'{start.FileName}' did not start."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
