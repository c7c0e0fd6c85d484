using Gateway.Storage;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Cluster;

/// <summary>
/// A Redis that still holds payouts of the single-node key layout before shards is refused at
/// start: this version would not see them (a processing one would never finish; a retry of a
/// final one would create a second payout). A clean Redis is marked and starts.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class KeyLayoutTests(RedisFixture redis)
{
    [Theory]
    [InlineData("gw:processing")]
    [InlineData("gw:payout:{po_aaaaaaaaaaaaaaaaaaaaaaaaaa}")]
    public async Task Start_RedisHoldsTheOlderLayout_IsRefusedNamingTheKey(string oldKey)
    {
        var space = redis.Allocate();
        await space.Db.StringSetAsync(oldKey, "left by an earlier version");
        var settings = GatewayFactory.Settings(space.ConnectionString, "http://127.0.0.1:9");

        var message = StartupFailure.Of(settings);

        Assert.Contains("single-node key layout", message, StringComparison.Ordinal);
        Assert.Contains(oldKey, message, StringComparison.Ordinal);
        Assert.False(await space.Db.KeyExistsAsync(KeyLayoutCheck.Marker));
    }

    [Fact]
    public async Task Start_CleanRedis_StartsAndRecordsTheLayout()
    {
        var space = redis.Allocate();
        await using var gateway = new GatewayFactory(GatewayFactory.Settings(space.ConnectionString, "http://127.0.0.1:9"));
        _ = gateway.Server;

        Assert.Equal(KeyLayoutCheck.Layout, (string?)await space.Db.StringGetAsync(KeyLayoutCheck.Marker));
    }
}
