using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Grains.Sessions;

namespace UFBrowsers.Silo.Recordings;

public static class RecordingServiceCollectionExtensions
{
    /// <summary>Session recordings: the recorders, their session hook and the retention sweep (the store comes with the storage choice).</summary>
    public static IServiceCollection AddSessionRecordings(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RecordingOptions>(configuration.GetSection(RecordingOptions.Section));
        services.AddSingleton<SessionRecorders>();
        services.AddSingleton<ISessionBrowserHook, RecordingBrowserHook>();
        services.AddHostedService<RecordingRetentionSweeper>();
        return services;
    }
}
