using System.Net;
using System.Text;
using Gateway.Core;
using Gateway.Storage;
using Gateway.Tests.Fixtures;
using StackExchange.Redis;

namespace Gateway.Tests.Payouts;

/// <summary>
/// Without <c>Payouts:IdSecret</c> outside Development, every instance keys payout ids with one
/// random secret shared through Redis: two instances give the same key the same payout.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SharedIdSecretTests(RedisFixture redis, SharedIdSecretTests.Harness harness) : IClassFixture<SharedIdSecretTests.Harness>
{
    [Fact]
    public async Task Submit_WithoutIdSecretOnTwoInstances_SameKeyIsOnePayoutKeyedWithTheSharedSecret()
    {
        var first = harness.Gateway(redis);
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(harness.Database), harness.Ycb.Url);
        settings.Remove("Payouts:IdSecret");
        await using var second = new GatewayFactory(settings);
        var key = Api.NewKey();

        var created = await first.ClientFor().SubmitAsync(key, Api.Body());
        var replayed = await second.ClientFor().SubmitAsync(key, Api.Body());

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        var id = (await created.JsonAsync()).Str("id");
        Assert.Equal(id, (await replayed.JsonAsync()).Str("id"));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionStringFor(harness.Database));
        var shared = (string?)await connection.GetDatabase().StringGetAsync(PayoutIdSecretStore.Key);
        Assert.NotNull(shared);
        Assert.True(Convert.FromBase64String(shared).Length == 32, "the shared secret is 32 random bytes");
        Assert.Equal(PayoutId.Derive(Encoding.UTF8.GetBytes(shared), GatewayFactory.ClientA, key), id);
        Assert.NotEqual(Ids.Of(GatewayFactory.ClientA, key), id);
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings.Remove("Payouts:IdSecret");
    }
}
