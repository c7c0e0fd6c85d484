using StackExchange.Redis;

namespace Gateway.Hosting;

public static class StateStoreSetup
{
    /// <summary>
    /// One Redis connection for idempotency and payout state (<c>ConnectionStrings:Redis</c>).
    /// It never aborts on a failed connect, so the host starts while Redis is down and answers
    /// 503 until it is back; commands fail fast while disconnected instead of queueing.
    /// </summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp =>
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
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddHostedService<RedisEvictionCheck>();
        return services;
    }

    /// <summary>A command timed out: it may or may not have run in Redis.</summary>
    public static bool IsStateStoreTimeout(this Exception exception) => exception is RedisTimeoutException;

    /// <summary>What a Redis failure looks like to callers: the state store is unavailable.</summary>
    public static bool IsStateStoreFailure(this Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException
        || (exception is RedisServerException server
            && (server.Message.StartsWith("LOADING", StringComparison.Ordinal)
                || server.Message.StartsWith("MISCONF", StringComparison.Ordinal)
                || server.Message.StartsWith("READONLY", StringComparison.Ordinal)));
}
