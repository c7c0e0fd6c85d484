using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// Where a test class's gateway keeps its state: a Redis database of its own on the single node
/// (<see cref="RedisFixture"/>), or a key prefix of its own on the three-primary cluster
/// (<see cref="RedisClusterFixture"/>). Test cases written against this run on both.
/// </summary>
public interface IGatewayRedis
{
    /// <summary>Single node or cluster, for test names and messages.</summary>
    string Topology { get; }

    /// <summary>A space of its own for one gateway (or one test's stores).</summary>
    RedisSpace Allocate();

    /// <summary>Redis loses everything it holds, as a crash without persistence would.</summary>
    Task LoseAllDataAsync();
}

/// <summary>
/// One gateway's Redis: the settings that point it there (<c>ConnectionStrings:Redis</c>,
/// <c>Redis:KeyPrefix</c>) and the same view for the test's own reads (<see cref="Db"/> applies the prefix).
/// </summary>
public sealed record RedisSpace(string ConnectionString, string KeyPrefix, IConnectionMultiplexer Connection, IDatabase Db)
{
    /// <summary>Redis database number on the single node (0 on a cluster).</summary>
    public int Database => Db.Database;

    /// <summary>The gateway's settings for this space.</summary>
    public void ApplyTo(IDictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Redis"] = ConnectionString;
        settings["Redis:KeyPrefix"] = KeyPrefix;
    }

    /// <summary>
    /// A state store view of this space: over the tests' connection (in this space's database), or
    /// over <paramref name="connection"/>, one opened with <see cref="ConnectionString"/>.
    /// </summary>
    public Gateway.Storage.StateDatabase State(IConnectionMultiplexer? connection = null) =>
        connection is null
            ? Gateway.Storage.StateDatabase.Of(Connection, KeyPrefix, Database)
            : Gateway.Storage.StateDatabase.Of(connection, KeyPrefix);
}
