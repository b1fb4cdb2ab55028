namespace UFBrowsers.Silo.Kubernetes;

/// <summary>What one reconciliation did: orphan pods it deleted, and pods its pools knew that are gone (reported lost).</summary>
public sealed record ReconcileReport(IReadOnlyList<string> DeletedOrphans, IReadOnlyList<string> ReportedLost);
