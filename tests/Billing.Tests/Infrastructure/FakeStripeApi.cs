using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Billing.Tests.Infrastructure;

/// <summary>
/// The two Stripe API calls UFBrowsers makes, on Kestrel at 127.0.0.1 and a free port: it records each request's
/// form fields and answers with the object Stripe would return, or with an error while <see cref="FailWithStatus"/> is set.
/// </summary>
public sealed class FakeStripeApi : IAsyncDisposable
{
    private WebApplication? _app;

    public ConcurrentQueue<RecordedStripeRequest> Requests { get; } = new();

    public int? FailWithStatus { get; set; }

    /// <summary>With <see cref="FailWithStatus"/>: the <c>error</c> object Stripe answers with (type, code, param, message).</summary>
    public object? FailWithError { get; set; }

    public string BaseUrl { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/checkout/sessions", request => Answer(request, "checkout.session", "cs_test_", "https://checkout.stripe.com/c/pay/"));
        _app.MapPost("/v1/billing_portal/sessions", request => Answer(request, "billing_portal.session", "bps_", "https://billing.stripe.com/p/session/"));
        await _app.StartAsync();
        BaseUrl = _app.Urls.Single();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task Answer(HttpContext context, string objectName, string idPrefix, string urlPrefix)
    {
        var form = await context.Request.ReadFormAsync();
        Requests.Enqueue(new RecordedStripeRequest(
            context.Request.Path, context.Request.Headers.Authorization.ToString(),
            form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)));

        if (FailWithStatus is { } status)
        {
            await Results.Json(new { error = FailWithError ?? new { type = "api_error", message = "The fake Stripe is failing on purpose." } }, statusCode: status)
                .ExecuteAsync(context);
            return;
        }

        var id = idPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await Results.Json(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["object"] = objectName,
            ["livemode"] = false,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["url"] = urlPrefix + id,
            ["customer"] = form["customer"].FirstOrDefault(),
            ["client_reference_id"] = form["client_reference_id"].FirstOrDefault(),
            ["mode"] = form["mode"].FirstOrDefault(),
        }).ExecuteAsync(context);
    }
}
