using Gateway.Partners;
using Microsoft.Extensions.Options;
using Gateway.Storage;

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
        // Every log event names the instance that wrote it, as its leases do.
        services.AddSingleton<Serilog.Core.ILogEventEnricher>(sp =>
            new Serilog.Core.Enrichers.PropertyEnricher("InstanceId", sp.GetRequiredService<InstanceIdentity>().Id));
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        services.AddHostedService<LeaseKeeper>();
        return services;
    }

    /// <summary>
    /// A lease must outlast every partner's inquiry grace: a takeover then never mistakes a send
    /// made just before the owner died for "never received".
    /// </summary>
    private sealed class RecoveryOptionsValidator(PartnerRegistry partners) : IValidateOptions<RecoveryOptions>
    {
        public ValidateOptionsResult Validate(string? name, RecoveryOptions options)
        {
            var errors = new List<string>();
            if (options.ScanInterval >= options.LeaseTtl)
            {
                errors.Add($"Recovery:ScanInterval ({options.ScanInterval}) must be shorter than Recovery:LeaseTtl ({options.LeaseTtl}).");
            }

            foreach (var partner in partners.Enabled.Select(p => p.Name).Where(p => partners.OptionsOf(p).InquiryGrace >= options.LeaseTtl))
            {
                errors.Add($"Recovery:LeaseTtl ({options.LeaseTtl}) must be longer than Partners:{partner}:InquiryGrace ({partners.OptionsOf(partner).InquiryGrace}).");
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
