using Gateway.Hosting;
using StackExchange.Redis;

namespace Gateway.Storage;

public static class StateStoreSetup
{
    /// <summary>
    /// One Redis connection for idempotency and payout state (<c>ConnectionStrings:Redis</c>).
    /// It never aborts on a failed connect, so the host starts while Redis is down and answers
    /// 503 until it is back; commands fail fast while disconnected instead of queueing. With
    /// <c>Redis:ClaimReplicas</c>, claims get a second connection (<see cref="StateDatabase"/>).
    /// </summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ => Connect(configuration, null));
        services.AddOptions<StateStoreOptions>().Bind(configuration.GetSection(StateStoreOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new StateDatabase(sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StateStoreOptions>>(), purpose => Connect(configuration, purpose)));
        services.AddHostedService<RedisEvictionCheck>();
        return services;
    }

    /// <summary>A connection to <c>ConnectionStrings:Redis</c>; <paramref name="purpose"/> names a second one (client name suffix).</summary>
    private static ConnectionMultiplexer Connect(IConfiguration configuration, string? purpose)
    {
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Redis is not set.");
        }

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 3000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 3000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 3000);
        options.ClientName ??= "disbursement-gateway";
        if (!connectionString.Contains("configCheckSeconds", StringComparison.OrdinalIgnoreCase))
        {
            // A promoted replica (no Sentinel: a plain endpoint list) is found at the next role
            // check; the client's 60 s default would leave payouts unsaved for up to a minute.
            options.ConfigCheckSeconds = 5;
        }
        if (purpose is not null)
        {
            options.ClientName += "-" + purpose;
        }

        return ConnectionMultiplexer.Connect(options);
    }
}
