using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>One Redis server shared by the "Gateway" collection; tests keep apart by unique keys.</summary>
public sealed class RedisFixture : IAsyncLifetime, IGatewayRedis
{
    public RedisServer Server { get; private set; } = null!;
    public ConnectionMultiplexer Connection { get; private set; } = null!;

    private int _lastDatabase;

    /// <summary>
    /// A Redis database of its own for one gateway (the server has <see cref="RedisServer.Databases"/>): each test class's
    /// gateway and reconciler see only their own payouts, as separate deployments would.
    /// </summary>
    public int AllocateDatabase() => Interlocked.Increment(ref _lastDatabase) is var db && db < RedisServer.Databases
        ? db
        : throw new InvalidOperationException("More gateways than Redis databases; raise --databases in RedisServer.");

    public string ConnectionStringFor(int database) => $"{Server.ConnectionString},defaultDatabase={database}";

    public string Topology => "single node";

    public RedisSpace Allocate()
    {
        var database = AllocateDatabase();
        return new RedisSpace(ConnectionStringFor(database), "", Connection, Connection.GetDatabase(database));
    }

    public Task LoseAllDataAsync() => Connection.GetServers().Single().FlushAllDatabasesAsync();

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartNewAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(Server.ConnectionString + ",allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "Gateway";
}
