using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// Disbursements keep their share of a partner's quota: pass-through calls that use up theirs
/// (Partners:&lt;p&gt;:RateLimit:PassThroughShare) are refused with 429, and never make a payout fail
/// with PARTNER_RATE_LIMITED.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PassThroughShareTests(RedisFixture redis, PassThroughShareTests.Harness harness) : IClassFixture<PassThroughShareTests.Harness>
{
    [Fact]
    public async Task PassThroughSaturatingItsShare_NeverMakesAPayoutFailRateLimited()
    {
        var gateway = harness.Gateway(redis);
        using var a = gateway.ClientFor(GatewayFactory.KeyA);
        using var b = gateway.ClientFor(GatewayFactory.KeyB);
        var before = harness.Ycb.ReceivedCalls.Count;

        // Both clients hammer the pass-through: 10 permits a minute, share 0.2, so 2 get through.
        var proxied = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).GetAsync("/partners/ycb/api/v2/accounts/balance")));
        var payouts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            await (await (i % 2 == 0 ? a : b).SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync()));

        Assert.Equal(2, proxied.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(proxied.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.NotNull(r.Headers.RetryAfter);
        });
        Assert.All(payouts, p => Assert.True(p.Str("status") == "succeeded",
            $"payout {p.Str("id")} is {p.Str("status")}: {(p.TryGetProperty("failure", out var f) ? f.GetRawText() : "")}"));
        Assert.Equal(2, harness.Ycb.ReceivedCalls.Skip(before).Count(c => c.Path == "/api/v2/accounts/balance"));
        Assert.All(payouts, p => Assert.Equal(1, harness.Ycb.DisburseRequestCount(p.Str("id"))));
    }

    public sealed class Harness : PassThroughHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Partners:ycb:RateLimit:Permits"] = "10";
            settings["Partners:ycb:RateLimit:Period"] = "00:01:00";
            settings["Partners:ycb:RateLimit:Burst"] = "10";
            settings["Partners:ycb:RateLimit:QueueLimit"] = "0";
            settings["Partners:ycb:RateLimit:PassThroughShare"] = "0.2";
            settings["Proxy:ClientRateLimit:Permits"] = "100";
            settings["Proxy:ClientRateLimit:Burst"] = "100";
        }
    }
}
