using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UFBrowsers.Grains.Billing.Payments;

namespace UFBrowsers.Silo.Payments;

public static class StripeServiceCollectionExtensions
{
    /// <summary>Stripe options, the payment gateway the grains call and the webhook verifier the API uses. Safe to call twice.</summary>
    public static IServiceCollection AddStripe(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(StripeWebhookVerifier)))
        {
            return services;
        }

        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.Section));
        services.TryAddSingleton<IPaymentGateway, StripePaymentGateway>();
        services.TryAddSingleton<StripeWebhookVerifier>();
        return services;
    }
}
