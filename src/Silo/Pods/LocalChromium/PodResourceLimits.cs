namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// <c>UFBrowsers:LocalChromium:Limits</c>: what one pod may use, like a Kubernetes pod's limits (the defaults match
/// <c>UFBrowsers:Kubernetes:Pods:Resources</c>). With a delegated cgroup v2 (<see cref="CgroupParent"/>) the kernel enforces
/// memory and CPU; otherwise a watchdog kills a pod whose processes use more memory than allowed, and pods get a lower
/// CPU weight than the control plane.
/// </summary>
public sealed class PodResourceLimits
{
    /// <summary>Memory of all of a pod's processes together (browser, renderers, its network and DevTools bridge). Over it, the pod is killed.</summary>
    public int MemoryMebibytes { get; set; } = 2048;

    /// <summary>CPU a pod may use, in thousandths of a core; a hard cap with a cgroup, a share without one.</summary>
    public int CpuMillicores { get; set; } = 1000;

    /// <summary>
    /// Nice value of a sandboxed pod's scheduler autogroup. Each pod runs in a session of its own, so the kernel already
    /// shares CPU fairly between pods (one share each, however many processes a pod runs) and with the control plane's
    /// session; 1 to 19 lowers every pod's weight further against the control plane (10: weight 110 against 1024), which
    /// also slows pods against anything else on the machine.
    /// </summary>
    public int CpuNice { get; set; }

    /// <summary>V8's old-generation heap per renderer (<c>--js-flags=--max-old-space-size</c>); a page over it crashes alone.</summary>
    public int JsHeapMebibytes { get; set; } = 1024;

    /// <summary>Renderer processes per browser (<c>--renderer-process-limit</c>); 0 leaves Chromium's own choice.</summary>
    public int RendererProcessLimit { get; set; } = 8;

    /// <summary>Size of the pod's private in-memory <c>/tmp</c> (sandbox only).</summary>
    public int TmpMebibytes { get; set; } = 512;

    /// <summary>Size of the pod's private in-memory <c>/dev/shm</c> (sandbox only).</summary>
    public int ShmMebibytes { get; set; } = 512;

    /// <summary>How often the watchdog measures each pod's memory when no cgroup enforces it.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A cgroup v2 directory delegated to the product (for example a systemd unit's with <c>Delegate=yes</c>), under which
    /// each pod gets its own cgroup with <c>memory.max</c> and <c>cpu.max</c>. Unset: the watchdog. Set but unusable: the
    /// provider refuses to start.
    /// </summary>
    public string? CgroupParent { get; set; }

    public long MemoryBytes => MemoryMebibytes * 1024L * 1024L;
}
