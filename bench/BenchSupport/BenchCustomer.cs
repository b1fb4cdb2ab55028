namespace UFBrowsers.BenchSupport;

/// <summary>A customer made for a run, with the credits granted to it and its API key.</summary>
public sealed record BenchCustomer(string Id, string ApiKey, long Granted);
