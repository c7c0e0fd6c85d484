using StackExchange.Redis;

namespace Gateway.Hosting;

/// <summary>How a Redis failure looks to the layers above the state store.</summary>
public static class StateStoreFailures
{
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
