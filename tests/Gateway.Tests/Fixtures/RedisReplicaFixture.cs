using Orchestration;
using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// One real primary with its replica (Orchestration's <see cref="RedisReplicaPair"/>) shared by
/// the "GatewayReplica" collection, for tests that leave the topology as it is; tests keep apart
/// by key prefix (<see cref="AllocatePrefix"/>). A test that kills or promotes starts a pair of
/// its own with <see cref="StartPairAsync"/>.
/// </summary>
public sealed class RedisReplicaFixture : IAsyncLifetime
{
    private int _lastPrefix;

    public RedisReplicaPair Pair { get; private set; } = null!;

    /// <summary>Both endpoints (StackExchange.Redis writes to the primary), never aborting on a failed connect.</summary>
    public string ConnectionString => ConnectionStringOf(Pair);

    /// <summary>A connection of the tests' own (admin commands allowed) to both nodes.</summary>
    public ConnectionMultiplexer Connection { get; private set; } = null!;

    /// <summary>A key prefix of its own for one test class (<c>r1:</c>, <c>r2:</c>, ...).</summary>
    public string AllocatePrefix() => $"r{Interlocked.Increment(ref _lastPrefix)}:";

    /// <summary>A fresh pair (temporary folders, removed on dispose) for a test that disturbs it.</summary>
    public static Task<RedisReplicaPair> StartPairAsync()
    {
        RedisServer.RequireInstalled();
        return RedisReplicaPair.StartAsync();
    }

    public static string ConnectionStringOf(RedisReplicaPair pair) => $"{pair.ConnectionString},abortConnect=false";

    public async Task InitializeAsync()
    {
        Pair = await StartPairAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (Pair is not null)
        {
            await Pair.DisposeAsync();
        }
    }
}

/// <summary>Test classes that share one primary–replica pair (<see cref="RedisReplicaFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class RedisReplicaCollection : ICollectionFixture<RedisReplicaFixture>
{
    public const string Name = "GatewayReplica";
}
