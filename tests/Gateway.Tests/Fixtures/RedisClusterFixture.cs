using Orchestration;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// One real three-primary Redis Cluster (Orchestration's <see cref="RedisCluster"/>, temporary
/// folders, loopback) shared by the "GatewayCluster" collection. A cluster has database 0 only,
/// so the gateways of different test classes keep apart by key prefix (<c>Redis:KeyPrefix</c>):
/// each test class takes one from <see cref="AllocatePrefix"/>.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime, IGatewayRedis
{
    private int _lastPrefix;

    public RedisCluster Cluster { get; private set; } = null!;

    /// <summary>All three nodes for StackExchange.Redis (it discovers the slot map), never aborting on a failed connect.</summary>
    public string ConnectionString => $"{Cluster.ConnectionString},abortConnect=false";

    /// <summary>A connection of the tests' own (admin commands allowed) to inspect the cluster.</summary>
    public ConnectionMultiplexer Connection { get; private set; } = null!;

    /// <summary>
    /// A key prefix of its own for one test class's gateway (<c>t1:</c>, <c>t2:</c>, ...): no braces,
    /// so it never changes which hash tag, and so which slot, a key has.
    /// </summary>
    public string AllocatePrefix() => $"t{Interlocked.Increment(ref _lastPrefix)}:";

    public string Topology => "cluster";

    public RedisSpace Allocate()
    {
        var prefix = AllocatePrefix();
        return new RedisSpace(ConnectionString, prefix, Connection, Connection.GetDatabase().WithKeyPrefix(prefix));
    }

    public Task LoseAllDataAsync() =>
        Task.WhenAll(Connection.GetServers().Where(s => !s.IsReplica).Select(s => s.FlushAllDatabasesAsync()));

    public async Task InitializeAsync()
    {
        RedisServer.RequireInstalled();
        Cluster = await RedisCluster.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>Test classes that share one Redis Cluster (<see cref="RedisClusterFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "GatewayCluster";
}
