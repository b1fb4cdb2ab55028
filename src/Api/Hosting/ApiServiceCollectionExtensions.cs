using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Health;
using UFBrowsers.Api.Observability;
using UFBrowsers.Api.Problems;
using UFBrowsers.Api.OpenApi;
using UFBrowsers.Silo.Payments;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.LiveView;
using UFBrowsers.Api.Queue;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Gateways;
using UFBrowsers.Grains.Queue;
using UFBrowsers.Grains.Sessions;

namespace UFBrowsers.Api.Hosting;

public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddUFBrowsersApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OperatorOptions>(configuration.GetSection(OperatorOptions.Section));
        services.AddStripe(configuration);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.Section));
        services.Configure<SessionQueueOptions>(configuration.GetSection(SessionQueueOptions.Section));
        services.Configure<SessionTimerOptions>(configuration.GetSection(SessionTimerOptions.Section));
        services.TryAddKeyedSingleton(UFBrowsersClock.Key, TimeProvider.System);
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<GatewayUrls>();
        services.AddSingleton<SessionEndNotifier>();
        services.Configure<GatewayLeaseOptions>(configuration.GetSection(GatewayLeaseOptions.Section));
        services.AddSingleton<GatewayInstance>();
        services.AddHostedService<GatewayLeaseRenewal>();
        services.AddSingleton<CdpGateway>();
        services.AddSingleton<CdpDiscovery>();
        services.Configure<LiveViewOptions>(configuration.GetSection(LiveViewOptions.Section));
        services.AddSingleton<LiveLinkTokens>();
        services.AddSingleton<LiveViewHub>();
        services.AddSingleton<QueuedStart>();
        services.AddHttpClient(CdpDiscovery.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5));
        services.AddValidation();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemCodes.Complete);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddUFBrowsersHealthChecks(configuration);
        services.AddUFBrowsersTelemetry(configuration);
        services.AddUFBrowsersOpenApi();
        services.TryAddSingleton(TimeProvider.System);

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(AuthSchemes.Operator, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Customer, policy => policy
                .AddAuthenticationSchemes(AuthSchemes.ApiKey)
                .RequireClaim(AuthSchemes.CustomerIdClaim))
            .AddPolicy(AuthPolicies.Operator, policy => policy
                .AddAuthenticationSchemes(AuthSchemes.Operator)
                .RequireRole("operator"));
        return services;
    }
}
