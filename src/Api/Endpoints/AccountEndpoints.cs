using System.Globalization;
using System.Security.Claims;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.ApiKeys;
using UFBrowsers.Customers;
using UFBrowsers.Queue;

namespace UFBrowsers.Api.Endpoints;

internal static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder v1)
    {
        var account = v1.MapGroup("/account").RequireAuthorization(AuthPolicies.Customer).WithTags("Account");
        account.MapGet("/", GetAccount).WithName("GetAccount");
        account.MapGet("/queue", GetQueue).WithName("GetQueue");
        account.MapGet("/ledger", GetLedger).WithName("GetLedger");
        account.MapPost("/api-keys", CreateKey).WithName("CreateApiKey");
        account.MapGet("/api-keys", ListKeys).WithName("ListApiKeys");
        account.MapDelete("/api-keys/{keyId}", RevokeKey).WithName("RevokeApiKey");
        return v1;
    }

    private static async Task<IResult> GetAccount(ClaimsPrincipal user, IGrainFactory grains)
    {
        var account = await grains.GetGrain<ICustomerGrain>(user.CustomerId()).GetAccount();
        if (account is null)
        {
            return ApiProblem.NotFound("The account no longer exists.");
        }

        var queue = await grains.GetGrain<ISessionQueueGrain>(user.CustomerId()).Snapshot();
        return TypedResults.Ok(AccountResponse.From(account, queue));
    }

    private static async Task<IResult> GetQueue(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(QueueResponse.From(await grains.GetGrain<ISessionQueueGrain>(user.CustomerId()).Snapshot()));

    private static async Task<IResult> GetLedger(ClaimsPrincipal user, IGrainFactory grains, int? limit, string? cursor)
    {
        if (RequestValidation.Page(limit, cursor, out var pageLimit, out var before) is { } invalid)
        {
            return invalid;
        }

        var page = await grains.GetGrain<ICustomerGrain>(user.CustomerId()).GetLedger(pageLimit, before);
        return TypedResults.Ok(new Page<LedgerEntryResponse>(
            page.Entries.Select(LedgerEntryResponse.From).ToList(),
            page.NextBefore?.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<IResult> CreateKey(ClaimsPrincipal user, IGrainFactory grains, CreateApiKeyRequest? body)
    {
        var name = body?.Name ?? "api key";
        if (RequestValidation.Name(name, "name") is { } invalid)
        {
            return invalid;
        }

        var issued = await grains.GetGrain<IApiKeyDirectoryGrain>(user.CustomerId()).Issue(name);
        return TypedResults.Created($"/v1/account/api-keys/{issued.Info.KeyId}", ApiKeyResponse.From(issued.Info, issued.Token));
    }

    private static async Task<IResult> ListKeys(ClaimsPrincipal user, IGrainFactory grains)
    {
        var keys = await grains.GetGrain<IApiKeyDirectoryGrain>(user.CustomerId()).List();
        return TypedResults.Ok(new Page<ApiKeyResponse>(keys.Select(k => ApiKeyResponse.From(k)).ToList(), null));
    }

    private static async Task<IResult> RevokeKey(ClaimsPrincipal user, IGrainFactory grains, string keyId)
    {
        var revoked = await grains.GetGrain<IApiKeyDirectoryGrain>(user.CustomerId()).Revoke(keyId);
        return revoked ? TypedResults.NoContent() : ApiProblem.NotFound($"No API key '{keyId}'.");
    }
}
