using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// Pass-through has its own rate per client (Proxy:ClientRateLimit): a client over it gets 429 with
/// an honest Retry-After, while another client's pass-through and the same client's payouts go on.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PassThroughLimitTests(RedisFixture redis, PassThroughLimitTests.Harness harness) : IClassFixture<PassThroughLimitTests.Harness>
{
    private const string Balance = "/partners/ycb/api/v2/accounts/balance";

    private readonly KestrelGateway _gateway = harness.Gateway(redis);

    [Fact]
    public async Task ClientOverItsPassThroughRate_Gets429_WhileOtherClientAndItsOwnPayoutsGoOn()
    {
        using var a = _gateway.ClientFor(GatewayFactory.KeyA);
        using var b = _gateway.ClientFor(GatewayFactory.KeyB);
        var before = harness.Ycb.ReceivedCalls.Count;

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await a.GetAsync(Balance));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            answers.Select(r => r.StatusCode));
        var refused = answers[2];
        Assert.EndsWith("/passthrough-rate-limited", (await refused.JsonAsync()).Str("type"), StringComparison.Ordinal);
        // Two permits a minute, both just taken: the next one is due in 30 s, and Retry-After says so.
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal(2, harness.Ycb.ReceivedCalls.Count - before);

        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync(Balance)).StatusCode);
        var payout = await a.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));
        Assert.Equal(HttpStatusCode.Created, payout.StatusCode);
        Assert.Equal("succeeded", (await payout.JsonAsync()).Str("status"));
    }

    public sealed class Harness : PassThroughHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Proxy:ClientRateLimit:Permits"] = "1";
            settings["Proxy:ClientRateLimit:Period"] = "00:00:30";
            settings["Proxy:ClientRateLimit:Burst"] = "2";
        }
    }
}
