using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>One pod of the provider, from the moment its directory is reserved until it is destroyed.</summary>
internal sealed class LocalChromiumPod(string id, string nodePool, PodDirectory directory)
{
    private readonly Lock _gate = new();
    private readonly List<PodProcess> _processes = [];
    private Task? _destruction;
    private bool _ending;
    private string? _killReason;

    public string Id { get; } = id;

    public string NodePool { get; } = nodePool;

    public PodDirectory Directory { get; } = directory;

    public PodLease? Lease { get; set; }

    /// <summary>The browser's own process: the sandbox's launcher (which becomes bubblewrap), or Chromium when unsandboxed.</summary>
    public PodProcess? Browser => Processes.FirstOrDefault(p => p.Role == PodProcessRoles.Browser);

    public IReadOnlyList<PodProcess> Processes
    {
        get
        {
            lock (_gate)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>The processes the provider started; every other process of the pod descends from one of them.</summary>
    public IReadOnlyList<ProcessIdentity> Roots => [.. Processes.Select(p => p.Identity)];

    /// <summary>Why the provider killed the pod (for example its memory limit); null when it died on its own.</summary>
    public string? KillReason
    {
        get
        {
            lock (_gate)
            {
                return _killReason;
            }
        }
    }

    /// <summary>Records a started process; false if the pod is already being destroyed (the caller must kill it).</summary>
    public bool TryAttach(PodProcess process)
    {
        lock (_gate)
        {
            if (_ending)
            {
                return false;
            }

            _processes.Add(process);
            return true;
        }
    }

    /// <summary>Records why the provider is about to kill the pod; the loss is then reported as usual when its processes exit.</summary>
    public bool TrySetKillReason(string reason)
    {
        lock (_gate)
        {
            if (_ending || _killReason is not null)
            {
                return false;
            }

            _killReason = reason;
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

    public bool IsEnding
    {
        get
        {
            lock (_gate)
            {
                return _ending;
            }
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

    public string StderrTail() => string.Join(
        Environment.NewLine,
        Processes.Select(p => p.StderrTail()).Where(tail => tail.Length > 0));
}
