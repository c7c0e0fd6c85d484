using System.Net;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Payouts;

/// <summary>
/// Past Payouts:MaxConcurrentSubmissions (every client together) the gateway answers 429
/// <c>overloaded</c> with Retry-After and stores nothing; the per-client limits are in FairnessTests.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class LoadSheddingTests(RedisFixture redis, LoadSheddingTests.Harness harness) : IClassFixture<LoadSheddingTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Submit_OverTheConcurrencyLimit_Returns429StoresNothingAndTheRetryIsAccepted()
    {
        var client = _gateway.ClientFor();
        var slow = Accounts.New();
        harness.Ycb.SetBehaviour(slow, new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(2)));
        var first = client.SubmitAsync(Api.NewKey(), Api.Body(account: slow));
        await Eventually.HoldsAsync(() => harness.Ycb.Executions.Any(e => e.PayeeAcctNo == slow), "the slow payout never reached the partner");

        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var shed = await client.SubmitAsync(key, Api.Body(account: Accounts.New()));
        var otherClient = await _gateway.ClientFor(GatewayFactory.KeyB).SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        Assert.NotNull(shed.Headers.RetryAfter);
        Assert.EndsWith("/overloaded", (await shed.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.False(await redis.Connection.GetDatabase(harness.Database).KeyExistsAsync(PayoutKeys.Payout(id)));
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(id));
        Assert.Equal(HttpStatusCode.TooManyRequests, otherClient.StatusCode);
        Assert.EndsWith("/overloaded", (await otherClient.JsonAsync()).Str("type"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        var retry = await client.SubmitAsync(key, Api.Body(account: Accounts.New()));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Payouts:MaxConcurrentSubmissions"] = "1";
            settings["Partners:ycb:Timeout"] = "00:00:05";
        }
    }
}
