using Microsoft.Extensions.Options;

namespace Gateway.Partners.Chaos;

/// <summary>
/// <c>Chaos</c>: its options (validated at start-up, refused in Production), the loud warning at
/// start when it is on, and per partner the <see cref="ChaosHandler"/>, added to the adapter's
/// HttpClient only when chaos is on and the partner gets something injected: otherwise there is no
/// handler and no strategy at all.
/// </summary>
public static class ChaosSetup
{
    public static IServiceCollection AddPartnerChaos(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChaosOptions>().Bind(configuration.GetSection(ChaosOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChaosOptions>, ChaosOptionsValidator>();
        services.AddHostedService<ChaosWarning>();
        return services;
    }

    /// <summary>
    /// The partner's chaos handler, innermost (added after the dialect's own handlers), when it gets
    /// anything injected. The adapter's HttpClient may be built before the host validates its options
    /// (<see cref="PartnerRegistry"/> is), so the settings are read and checked here without throwing:
    /// settings that do not pass (chaos in Production above all) add nothing, and the start is then
    /// refused by their validation, with every other option error (<c>Hosting/StartupErrors</c>).
    /// </summary>
    internal static IHttpClientBuilder AddChaos(this IHttpClientBuilder http, string partner) =>
        http.ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
        {
            var chaos = new ChaosOptions();
            sp.GetRequiredService<IConfiguration>().GetSection(ChaosOptions.Section).Bind(chaos);
            if (chaos.Enabled && chaos.Partners.TryGetValue(partner, out var options) && options.InjectsAnything
                && ActivatorUtilities.CreateInstance<ChaosOptionsValidator>(sp).Validate(null, chaos).Succeeded)
            {
                handlers.Add(new ChaosHandler(partner, options, sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger<ChaosHandler>()));
            }
        });
}

/// <summary>At start, when chaos is on: one warning per partner that gets anything injected, with its rates.</summary>
internal sealed class ChaosWarning(IOptions<ChaosOptions> options, IHostEnvironment environment, ILogger<ChaosWarning> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var chaos = options.Value;
        if (chaos.Enabled)
        {
            var injected = chaos.Partners.Where(p => p.Value.InjectsAnything).ToList();
            foreach (var (partner, p) in injected)
            {
                ChaosLog.Enabled(log, environment.EnvironmentName, partner, p.FaultRate, p.Latency, p.LatencyRate, p.OutcomeStatus, p.OutcomeRate,
                    p.Disbursements, p.Inquiries);
            }

            if (injected.Count == 0)
            {
                ChaosLog.EnabledForNone(log, environment.EnvironmentName);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
