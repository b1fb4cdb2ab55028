using Microsoft.AspNetCore.Mvc;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.ApiKeys;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Audit;

namespace UFBrowsers.Api.Endpoints;

/// <summary>Operator endpoints: customers, plans and subscriptions (until Stripe drives them), credit adjustments.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/customers").RequireAuthorization(AuthPolicies.Operator).AddEndpointFilter<AuditFilter>().WithTags("Operators")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        admin.MapPost("/", CreateCustomer).WithName("CreateCustomer")
            .WithSummary("Creates a customer on a plan, with a first API key")
            .Produces<CreateCustomerResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapGet("/", ListCustomers).WithName("ListCustomers")
            .WithSummary("Customers in id order").Produces<Page<AccountResponse>>().ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/{id}", GetCustomer).WithName("GetCustomer")
            .WithSummary("One customer's account").Produces<AccountResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPut("/{id}/subscription", ChangeSubscription).WithName("ChangeSubscription")
            .WithSummary("Sets plan, subscription status or tenant provisioning")
            .Produces<AccountResponse>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/{id}/credits", AdjustCredits).WithName("AdjustCredits")
            .WithSummary("Adjusts the balance with a reason (a ledger entry); needs Idempotency-Key")
            .Produces<LedgerEntryResponse>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/{id}/api-keys", IssueKey).WithName("IssueCustomerApiKey")
            .WithSummary("Issues an API key for a customer").Produces<ApiKeyResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/{id}/audit", Audit).WithName("AuditCustomer")
            .WithSummary("The money check: grain balance against the stored ledger, and recent audited actions")
            .Produces<CustomerAuditResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CreateCustomer(IGrainFactory grains, CreateCustomerRequest body)
    {
        var id = body.Id ?? "cus_" + Guid.NewGuid().ToString("N")[..16];
        if (RequestValidation.CustomerId(id) is { } invalid)
        {
            return invalid;
        }

        var customer = grains.For<ICustomerGrain>(id);
        if (await customer.GetAccount() is not null)
        {
            return ApiProblem.Conflict("customer_exists", $"Customer '{id}' already exists.");
        }

        Account account;
        try
        {
            account = await customer.Create(body.Name!, body.Plan!);
        }
        catch (ArgumentException)
        {
            return UnknownPlan(body.Plan!);
        }

        var key = await grains.For<IApiKeyDirectoryGrain>(id).Issue("initial key");
        return TypedResults.Created($"/admin/customers/{id}",
            new CreateCustomerResponse(AccountResponse.From(account), ApiKeyResponse.From(key.Info, key.Token)));
    }

    private static async Task<IResult> ListCustomers(IGrainFactory grains, int? limit, string? cursor)
    {
        var pageLimit = limit ?? RequestValidation.DefaultLimit;
        if (pageLimit is < 1 or > RequestValidation.MaxLimit)
        {
            return ApiProblem.BadRequest("invalid_limit", $"limit must be between 1 and {RequestValidation.MaxLimit}.");
        }

        var ids = await grains.For<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).List(pageLimit, cursor);
        var accounts = await Task.WhenAll(ids.Select(id => grains.For<ICustomerGrain>(id).GetAccount()));
        var data = accounts.OfType<Account>().Select(AccountResponse.From).ToList();
        return TypedResults.Ok(new Page<AccountResponse>(data, ids.Count == pageLimit ? ids[^1] : null));
    }

    private static async Task<IResult> GetCustomer(IGrainFactory grains, string id)
    {
        var account = RequestValidation.CustomerId(id) is null ? await grains.For<ICustomerGrain>(id).GetAccount() : null;
        return account is null ? ApiProblem.NotFound($"No customer '{id}'.") : TypedResults.Ok(AccountResponse.From(account));
    }

    private static async Task<IResult> ChangeSubscription(IGrainFactory grains, string id, ChangeSubscriptionRequest body)
    {
        if (body.Status is { } status && !Enum.IsDefined(status))
        {
            return ApiProblem.BadRequest("invalid_status", "status must be none, active, past_due or cancelled.");
        }

        var customer = grains.For<ICustomerGrain>(id);
        if (RequestValidation.CustomerId(id) is not null || await customer.GetAccount() is null)
        {
            return ApiProblem.NotFound($"No customer '{id}'.");
        }

        try
        {
            var account = await customer.ChangeSubscription(new SubscriptionChange(body.Plan, body.Status, body.TenantProvisioned));
            return TypedResults.Ok(AccountResponse.From(account));
        }
        catch (ArgumentException)
        {
            return UnknownPlan(body.Plan!);
        }
    }

    private static ApiProblem UnknownPlan(string plan) => ApiProblem.Unprocessable("unknown_plan", $"There is no plan named '{plan}'.");

    /// <summary>The money check: the balance the customer grain holds against the stored ledger, plus recent audit records.</summary>
    private static async Task<IResult> Audit(IGrainFactory grains, IAuditLog auditLog, string id, CancellationToken cancellationToken)
    {
        var customer = grains.For<ICustomerGrain>(id);
        if (RequestValidation.CustomerId(id) is not null || await customer.GetAccount() is null)
        {
            return ApiProblem.NotFound($"No customer '{id}'.");
        }

        var ledger = await customer.AuditLedger();
        var actions = await auditLog.ListAsync(id, 50, cancellationToken);
        return TypedResults.Ok(new CustomerAuditResponse(
            id, ledger.BalanceInGrain, ledger.LedgerSum, ledger.LedgerEntries, ledger.LastEntryBalance, ledger.ActiveSessions, ledger.Agrees,
            actions.Select(a => new AuditRecordResponse(a.At, a.ActorType, a.ActorId, a.Action, a.Target, a.RequestId, a.Outcome)).ToList()));
    }

    private static async Task<IResult> IssueKey(IGrainFactory grains, string id, CreateApiKeyRequest? body)
    {
        var name = string.IsNullOrWhiteSpace(body?.Name) ? "operator-issued key" : body.Name;
        if (RequestValidation.CustomerId(id) is not null || await grains.For<ICustomerGrain>(id).GetAccount() is null)
        {
            return ApiProblem.NotFound($"No customer '{id}'.");
        }

        var key = await grains.For<IApiKeyDirectoryGrain>(id).Issue(name);
        return TypedResults.Created($"/admin/customers/{id}/api-keys/{key.Info.KeyId}", ApiKeyResponse.From(key.Info, key.Token));
    }

    private static async Task<IResult> AdjustCredits(
        IGrainFactory grains, string id, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CreditAdjustmentRequest body)
    {
        if (RequestValidation.IdempotencyKey(idempotencyKey, required: true) is { } invalid)
        {
            return invalid;
        }

        var customer = grains.For<ICustomerGrain>(id);
        if (RequestValidation.CustomerId(id) is not null || await customer.GetAccount() is null)
        {
            return ApiProblem.NotFound($"No customer '{id}'.");
        }

        var adjustment = await customer.AdjustCredits(body.Amount, body.Reason!, $"admin:{idempotencyKey}");
        if (adjustment.Applied)
        {
            return TypedResults.Ok(LedgerEntryResponse.From(adjustment.Entry!));
        }

        return adjustment.AmountTooLarge
            ? ApiProblem.Unprocessable("amount_too_large", adjustment.Error!)
            : ApiProblem.Unprocessable("adjustment_refused", adjustment.Error!);
    }
}
