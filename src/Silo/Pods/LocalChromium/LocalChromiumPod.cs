using System.Diagnostics;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>One Chromium process of the provider, from the moment its directory is reserved until it is destroyed.</summary>
internal sealed class LocalChromiumPod(string id, string nodePool, string directory)
{
    private const int StderrLinesKept = 10;

    private readonly Lock _gate = new();
    private readonly Queue<string> _stderrTail = new();
    private Process? _process;
    private Task? _destruction;
    private bool _ending;

    public string Id { get; } = id;

    public string NodePool { get; } = nodePool;

    public string Directory { get; } = directory;

    public string ProfileDirectory => Path.Combine(Directory, "profile");

    public int? Pid { get; private set; }

    public PodLease? Lease { get; set; }

    public Process? Process
    {
        get
        {
            lock (_gate)
            {
                return _process;
            }
        }
    }

    /// <summary>Records the started process; false if the pod is already being destroyed (the caller must kill it).</summary>
    public bool TryAttach(Process process)
    {
        lock (_gate)
        {
            if (_ending)
            {
                return false;
            }

            _process = process;
            Pid = process.Id;
            return true;
        }
    }

    /// <summary>Claims the pod's end for a loss: true only once, and never after a deletion began.</summary>
    public bool TryMarkLost()
    {
        lock (_gate)
        {
            if (_ending)
            {
                return false;
            }

            _ending = true;
            return true;
        }
    }

    /// <summary>Marks the pod as ending without a loss report (deletion, shutdown).</summary>
    public void MarkEnding()
    {
        lock (_gate)
        {
            _ending = true;
        }
    }

    /// <summary>Runs <paramref name="destroy"/> once; every caller awaits the same destruction.</summary>
    public Task DestroyOnce(Func<Task> destroy)
    {
        lock (_gate)
        {
            _ending = true;
            return _destruction ??= Task.Run(destroy);
        }
    }

    public void AddStderrLine(string line)
    {
        lock (_stderrTail)
        {
            if (_stderrTail.Count == StderrLinesKept)
            {
                _stderrTail.Dequeue();
            }

            _stderrTail.Enqueue(line);
        }
    }

    public string StderrTail()
    {
        lock (_stderrTail)
        {
            return string.Join(Environment.NewLine, _stderrTail);
        }
    }
}
