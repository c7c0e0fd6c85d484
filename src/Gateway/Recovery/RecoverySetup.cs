using Microsoft.Extensions.Options;

namespace Gateway.Recovery;

public static class RecoverySetup
{
    /// <summary>Leases on processing payouts, their renewal, and the reconciler that takes over lapsed ones.</summary>
    public static IServiceCollection AddRecovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecoveryOptions>().Bind(configuration.GetSection(RecoveryOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecoveryOptions>, RecoveryOptionsValidator>();
        services.AddSingleton<InstanceIdentity>();
        services.AddSingleton<PayoutLeases>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        services.AddHostedService<LeaseKeeper>();
        return services;
    }

    private sealed class RecoveryOptionsValidator : IValidateOptions<RecoveryOptions>
    {
        public ValidateOptionsResult Validate(string? name, RecoveryOptions options) =>
            options.ScanInterval >= options.LeaseTtl
                ? ValidateOptionsResult.Fail($"Recovery:ScanInterval ({options.ScanInterval}) must be shorter than Recovery:LeaseTtl ({options.LeaseTtl}).")
                : ValidateOptionsResult.Success;
    }
}
