namespace UFBrowsers.Bench.UsablePage;

/// <summary>Where a customer's browser comes from in one variant: the product's <c>POST /v1/sessions</c>, or the floor's own browsers.</summary>
internal interface IPageSource : IAsyncDisposable
{
    VariantSpec Spec { get; }

    /// <summary>Hands out one browser to connect to.</summary>
    Task<BrowserHandout> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the source has as many warm browsers as it keeps (its pool is full).</summary>
    Task WaitUntilWarmAsync(CancellationToken cancellationToken);

    /// <summary>How many hand-outs so far found no warm browser and waited for a launch.</summary>
    Task<long> MissesAsync();
}

/// <summary>
/// A browser handed out: the URL a client connects to, how long the hand-out took (the product's HTTP create; for the floor
/// the wait for a ready browser, which is not part of its time to a usable page), and how the session ends.
/// </summary>
internal sealed record BrowserHandout(string ConnectUrl, TimeSpan Create, bool CreateIsCustomerTime, Func<Task> EndAsync);
