namespace UFBrowsers.Grains.Pods;

/// <summary>
/// A pod its provider reports alive: its id, the session it serves when the provider keeps that with the pod (Kubernetes
/// labels; null when only the pool knows), and when it was created when the provider knows (null: unknown).
/// </summary>
public sealed record LivePod(string PodId, string? SessionId = null, DateTimeOffset? CreatedAt = null);
