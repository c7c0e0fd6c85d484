using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Payouts;

/// <summary>
/// A freshly started gateway hit by many payouts at once (the partner pipeline is built on
/// first use, by many threads together): every payout still executes once and succeeds.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ConcurrentStartTests(RedisFixture redis, YcbHarness harness) : IClassFixture<YcbHarness>
{
    [Fact]
    public async Task Submit_ManyDistinctPayoutsAtOnceOnAFreshGateway_AllSucceedOnce()
    {
        var client = harness.Gateway(redis).ClientFor();
        var keys = Enumerable.Range(0, 24).Select(_ => Api.NewKey()).ToList();

        var responses = await Task.WhenAll(keys.Select(k => client.SubmitAsync(k, Api.Body(account: Accounts.New()))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        foreach (var response in responses)
        {
            var payout = await response.JsonAsync();
            Assert.Equal("succeeded", payout.Str("status"));
            Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
        }
    }
}
