using Gateway.Tests.Fixtures;
using Orchestration;
using StackExchange.Redis;

namespace Gateway.Tests.Cluster;

/// <summary>
/// The primary–replica pair the replica tests run on is a real one: a write the replica
/// acknowledged (<c>WAIT 1</c>) is on the replica, and once the primary is gone and the replica
/// promoted (<c>REPLICAOF NO ONE</c>) it keeps that write and takes new ones.
/// </summary>
[Collection(RedisReplicaCollection.Name)]
public sealed class RedisReplicaTests(RedisReplicaFixture redis)
{
    private readonly string _prefix = redis.AllocatePrefix();

    [Fact]
    public async Task WriteAcknowledgedByWait_IsReadableOnTheReplica()
    {
        var db = redis.Connection.GetDatabase();
        var key = _prefix + "acknowledged";

        await db.StringSetAsync(key, "v", flags: CommandFlags.DemandMaster);
        var replicas = (long)await db.ExecuteAsync("WAIT", [1, 1000], CommandFlags.DemandMaster);

        Assert.Equal(1, replicas);
        Assert.Equal("v", (string?)await db.StringGetAsync(key, CommandFlags.DemandReplica));
        Assert.Equal("v", (await RedisCli.CommandAsync(redis.Pair.Replica.Port, ["GET", key])).Trim());
    }

    [Fact]
    public async Task PromotedReplica_KeepsAcknowledgedWrites_AndAcceptsNewOnes()
    {
        await using var pair = await RedisReplicaFixture.StartPairAsync();
        await using (var before = await ConnectionMultiplexer.ConnectAsync(pair.ConnectionString))
        {
            await before.GetDatabase().StringSetAsync("acknowledged", "v", flags: CommandFlags.DemandMaster);
            Assert.Equal(1, (long)await before.GetDatabase().ExecuteAsync("WAIT", [1, 1000], CommandFlags.DemandMaster));
        }

        Assert.StartsWith("READONLY", await RedisCli.CommandAsync(pair.Replica.Port, ["SET", "direct", "1"]), StringComparison.Ordinal);

        await using var client = await ConnectionMultiplexer.ConnectAsync(RedisReplicaFixture.ConnectionStringOf(pair));
        await pair.KillPrimaryAsync();
        await pair.PromoteReplicaAsync();

        Assert.Equal("OK", (await RedisCli.CommandAsync(pair.Replica.Port, ["SET", "direct", "1"])).Trim());
        // A client given both endpoints finds the new primary once it looks again.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return await client.GetDatabase().StringSetAsync("after", "w", flags: CommandFlags.DemandMaster);
            }
            catch (RedisException)
            {
                await client.ConfigureAsync();
                return false;
            }
        }, "a client given both endpoints never wrote to the promoted replica", TimeSpan.FromSeconds(20));
        Assert.Equal("v", (string?)await client.GetDatabase().StringGetAsync("acknowledged"));
        Assert.Equal(pair.Replica.Endpoint, client.GetServer(client.GetDatabase().IdentifyEndpoint("after")!).EndPoint.ToString());
    }
}
