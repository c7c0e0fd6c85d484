using Gateway.Diagnosis;
using Gateway.Partners;
using Gateway.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Gateway.Core;

namespace Gateway.Payouts;

public static class PayoutsSetup
{
    public static IServiceCollection AddPayouts(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PayoutsOptions>().Bind(configuration.GetSection(PayoutsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PayoutIdOptions>().Bind(configuration.GetSection(PayoutsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PayoutIdOptions>, PayoutIdOptionsValidator>();
        services.AddSingleton<PayoutIds>();
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>();
        services.AddSingleton<PayoutRouter>();
        services.AddPayoutPipelines();
        services.AddSingleton<PayoutExecutor>();
        services.AddSingleton<PayoutExecutions>();
        services.AddHostedService(sp => sp.GetRequiredService<PayoutExecutions>());
        services.AddSingleton<PayoutSubmission>();
        services.AddPayoutLoadShedding();
        services.AddHostedService<StartupChecks>();
        return services;
    }

    /// <summary>Loads the cause catalogue and every code table before traffic: a bad row stops start-up.</summary>
    private sealed class StartupChecks(CauseCatalogue causes, IsoReasonTable isoReasons, PartnerRegistry partners, PayoutRouter router) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(causes);
            GC.KeepAlive(isoReasons);
            GC.KeepAlive(partners);
            GC.KeepAlive(router);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
