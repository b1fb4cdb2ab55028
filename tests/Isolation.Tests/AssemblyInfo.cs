// Every test starts real sandboxed browsers; on a small machine running them side by side only makes them slow.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The fences and the checks are Linux's: namespaces, /proc, routes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
