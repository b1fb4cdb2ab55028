using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace UFBrowsers.Silo.Profiles;

public static class ProfileCipherServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="ProfileOptions"/> (validated at start) and the <see cref="ProfileCipher"/> built from them. Safe to call more
    /// than once: the PostgreSQL store needs the cipher whether or not the rest of the session-file services are added.
    /// </summary>
    public static IServiceCollection AddUFBrowsersProfileCipher(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ProfileCipher)))
        {
            return services;
        }

        services.AddOptions<ProfileOptions>().Bind(configuration.GetSection(ProfileOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProfileOptions>, ProfileOptionsValidation>());
        services.AddSingleton<ProfileCipher>();
        return services;
    }
}
