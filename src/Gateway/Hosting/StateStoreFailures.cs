using StackExchange.Redis;

namespace Gateway.Hosting;

/// <summary>How a Redis failure looks to the layers above the state store.</summary>
public static class StateStoreFailures
{
    /// <summary>A command timed out: it may or may not have run in Redis.</summary>
    public static bool IsStateStoreTimeout(this Exception exception) => exception is RedisTimeoutException;

    /// <summary>
    /// What a Redis failure looks like to callers: the state store is unavailable. Besides a lost
    /// connection or a timeout, the answers of a Redis that cannot serve writes now: loading its
    /// data, refusing writes (disk, a replica, too few good replicas), or a cluster mid-failover.
    /// None of them ran the command, so "not recorded, not sent" is true.
    /// </summary>
    public static bool IsStateStoreFailure(this Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException
        || (exception is RedisServerException server && Unavailable.Any(prefix => server.Message.StartsWith(prefix, StringComparison.Ordinal)));

    private static readonly string[] Unavailable = ["LOADING", "MISCONF", "READONLY", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "NOREPLICAS"];
}
