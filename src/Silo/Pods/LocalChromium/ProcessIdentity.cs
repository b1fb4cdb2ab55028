namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>One process for good: its pid and its start time (clock ticks since boot), so a reused pid is never mistaken for it.</summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks);
