namespace Gateway.Storage;

public static class PayoutStateSetup
{
    /// <summary>
    /// The one home of payout state in Redis: claims, saves, send intents, leases, list indexes and
    /// their retention, the outcome counters' reads, and the metrics read from them (the recovery
    /// counters, the background backlog sampler). Needs the connection of <c>AddStateStore</c>.
    /// </summary>
    public static IServiceCollection AddPayoutState(this IServiceCollection services)
    {
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<PayoutStore>();
        services.AddSingleton<PayoutLeases>();
        services.AddSingleton<PayoutList>();
        services.AddSingleton<OutcomeCounters>();
        services.AddSingleton<PayoutIdSecretStore>();
        services.AddSingleton<KeyLayoutCheck>();
        services.AddSingleton<StoreEpoch>();
        services.AddHostedService<StoreEpochMonitor>();
        services.AddHostedService<IndexRetention>();
        services.AddSingleton<RecoveryMetrics>();
        services.AddPayoutBacklogSampler();
        return services;
    }
}
