using Microsoft.Extensions.Options;

namespace Gateway.Ops;

public static class OpsSetup
{
    public static IServiceCollection AddOps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OutcomeStats>();
        services.AddOptions<OpsOptions>().Bind(configuration.GetSection(OpsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpsOptions>, OpsOptionsValidator>();
        services.AddSingleton<DiagnosticsLimiter>();
        services.AddSingleton<DiagnosticsRateFilter>();
        return services;
    }
}
