namespace UFBrowsers.Grains.Billing;

/// <summary>A running session as its customer accounts for it: credits paid so far, and the start attempt its hold belongs to.</summary>
public readonly record struct ActiveSession(long Paid, int Attempt);
