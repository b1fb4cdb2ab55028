// Every test starts real Chromium processes; on a small machine running them side by side only makes start-up timings flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The tests read /proc and use kill(1): Linux only, like the stale-pod cleanup they check.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
