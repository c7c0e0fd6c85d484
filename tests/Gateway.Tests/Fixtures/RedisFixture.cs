using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>One Redis server shared by the "Gateway" collection; tests keep apart by unique keys.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;
    public ConnectionMultiplexer Connection { get; private set; } = null!;

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
