using System.Globalization;
using System.Security.Claims;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Events;
using UFBrowsers.Api.Problems;
using UFBrowsers.ApiKeys;
using UFBrowsers.Customers;
using UFBrowsers.Queue;

namespace UFBrowsers.Api.Endpoints;

internal static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder v1)
    {
        var account = v1.MapGroup("/account").RequireAuthorization(AuthPolicies.Customer).AddEndpointFilter<AuditFilter>().WithTags("Account")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        account.MapGet("/", GetAccount).WithName("GetAccount")
            .WithSummary("Plan, subscription status, balance and concurrency")
            .Produces<AccountResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        account.MapGet("/ledger", GetLedger).WithName("GetLedger")
            .WithSummary("Ledger entries, newest first")
            .Produces<Page<LedgerEntryResponse>>().ProducesProblem(StatusCodes.Status400BadRequest);
        account.MapGet("/usage", GetUsage).WithName("GetUsage")
            .WithSummary("Credits spent on sessions per UTC day (default: the last 30 days)")
            .Produces<UsageResponse>().ProducesProblem(StatusCodes.Status400BadRequest);
        account.MapGet("/events", Events).WithName("GetAccountEvents")
            .WithSummary("Server-sent events: ready, session.started, session.ended, heartbeat")
            .Produces<CustomerEventResponse>(StatusCodes.Status200OK, "text/event-stream");
        account.MapPost("/api-keys", CreateKey).WithName("CreateApiKey")
            .WithSummary("Issues an API key; the key is in this response only")
            .Produces<ApiKeyResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        account.MapGet("/api-keys", ListKeys).WithName("ListApiKeys")
            .WithSummary("The account's API keys, without secrets")
            .Produces<Page<ApiKeyResponse>>();
        account.MapDelete("/api-keys/{keyId}", RevokeKey).WithName("RevokeApiKey")
            .WithSummary("Revokes a key at once")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        account.MapGet("/queue", GetQueue).WithName("GetQueue")
            .WithSummary("The account's session queue: its length and each waiter's position")
            .Produces<QueueResponse>();
        return v1;
    }

    private static async Task<IResult> GetAccount(ClaimsPrincipal user, IGrainFactory grains)
    {
        var account = await grains.For<ICustomerGrain>(user.CustomerId()).GetAccount();
        if (account is null)
        {
            return ApiProblem.NotFound("The account no longer exists.");
        }

        var queue = await grains.For<ISessionQueueGrain>(user.CustomerId()).Snapshot();
        return TypedResults.Ok(AccountResponse.From(account, queue));
    }

    private static async Task<IResult> GetQueue(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(QueueResponse.From(await grains.For<ISessionQueueGrain>(user.CustomerId()).Snapshot()));

    private static async Task<IResult> GetLedger(ClaimsPrincipal user, IGrainFactory grains, int? limit, string? cursor)
    {
        if (RequestValidation.Page(limit, cursor, out var pageLimit, out var before) is { } invalid)
        {
            return invalid;
        }

        var page = await grains.For<ICustomerGrain>(user.CustomerId()).GetLedger(pageLimit, before);
        return TypedResults.Ok(new Page<LedgerEntryResponse>(
            page.Entries.Select(LedgerEntryResponse.From).ToList(),
            page.NextBefore?.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<IResult> GetUsage(ClaimsPrincipal user, IGrainFactory grains, int? days)
    {
        const int MaxDays = 366;
        var window = days ?? 30;
        if (window is < 1 or > MaxDays)
        {
            return ApiProblem.BadRequest("invalid_days", $"days must be between 1 and {MaxDays}.");
        }

        var usage = await grains.For<ICustomerGrain>(user.CustomerId()).GetDailyUsage(window);
        return TypedResults.Ok(UsageResponse.From(usage));
    }

    private static IResult Events(ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(CustomerEventStream.Read(grains, clock, user.CustomerId(), cancellationToken));

    private static async Task<IResult> CreateKey(ClaimsPrincipal user, IGrainFactory grains, CreateApiKeyRequest? body)
    {
        var name = string.IsNullOrWhiteSpace(body?.Name) ? "api key" : body.Name;
        var issued = await grains.For<IApiKeyDirectoryGrain>(user.CustomerId()).Issue(name);
        return TypedResults.Created($"/v1/account/api-keys/{issued.Info.KeyId}", ApiKeyResponse.From(issued.Info, issued.Token));
    }

    private static async Task<IResult> ListKeys(ClaimsPrincipal user, IGrainFactory grains)
    {
        var keys = await grains.For<IApiKeyDirectoryGrain>(user.CustomerId()).List();
        return TypedResults.Ok(new Page<ApiKeyResponse>(keys.Select(k => ApiKeyResponse.From(k)).ToList(), null));
    }

    private static async Task<IResult> RevokeKey(ClaimsPrincipal user, IGrainFactory grains, string keyId)
    {
        var revoked = await grains.For<IApiKeyDirectoryGrain>(user.CustomerId()).Revoke(keyId);
        return revoked ? TypedResults.NoContent() : ApiProblem.NotFound($"No API key '{keyId}'.");
    }
}
