using System.Net;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Payouts;

/// <summary>
/// Rotating <c>Payouts:IdSecret</c>: with the old secret kept in <c>Payouts:PreviousIdSecrets</c>,
/// a client retrying a key it used before the rotation gets its payout back, not a second
/// payout under a new reference.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class IdRotationTests(RedisFixture redis) : IDisposable
{
    private const string RotatedSecret = "rotated-payout-id-secret-not-a-real-one-0002";
    private readonly YcbSimulator _ycb = YcbSimulator.Start();

    [Fact]
    public async Task Submit_SameKeyAfterRotation_ReplaysThePayoutAndPaysOnce()
    {
        var database = redis.ConnectionStringFor(redis.AllocateDatabase());
        var key = Api.NewKey();
        var body = Api.Body(account: Accounts.New());
        string id;
        await using (var before = new GatewayFactory(GatewayFactory.Settings(database, _ycb.Url)))
        {
            var first = await before.ClientFor().SubmitAsync(key, body);
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            id = (await first.JsonAsync()).Str("id");
            Assert.Equal(Ids.Of(GatewayFactory.ClientA, key), id);
        }

        var settings = GatewayFactory.Settings(database, _ycb.Url);
        settings["Payouts:IdSecret"] = RotatedSecret;
        settings["Payouts:PreviousIdSecrets:0"] = Ids.Secret;
        await using var after = new GatewayFactory(settings);
        var client = after.ClientFor();

        var retry = await client.SubmitAsync(key, body);
        var changed = await client.SubmitAsync(key, Api.Body(account: Accounts.New()));
        var freshKey = Api.NewKey();
        var fresh = await client.SubmitAsync(freshKey, Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(id, (await retry.JsonAsync()).Str("id"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
        Assert.Equal(1, _ycb.ExecutionCount(id));
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        var freshId = (await fresh.JsonAsync()).Str("id");
        Assert.NotEqual(Ids.Of(GatewayFactory.ClientA, freshKey), freshId);
        Assert.Equal(1, _ycb.ExecutionCount(freshId));
    }

    public void Dispose() => _ycb.Dispose();
}
