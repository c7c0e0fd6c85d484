using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// A partner's quota (Partners:&lt;p&gt;:RateLimit) is enforced at the gateway and split: pass-through
/// gets <c>PassThroughShare</c> of it, disbursements the rest. What is over either share is refused
/// before it reaches the partner, and together they never exceed the quota.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PartnerQuotaTests(RedisFixture redis, PartnerQuotaTests.Harness harness) : IClassFixture<PartnerQuotaTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task QuotaUsedUp_PassThroughAnswers429WithRetryAfterAndDisbursementsFailRateLimitedUnsent()
    {
        var client = _gateway.ClientFor();
        var before = harness.Ycb.PassThroughCalls.Count;

        var proxied = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync("/partners/ycb/api/v2/accounts/balance")));
        var keys = Enumerable.Range(0, 6).Select(_ => Api.NewKey()).ToList();
        var payouts = await Task.WhenAll(keys.Select(async k => await (await client.SubmitAsync(k, Api.Body(account: Accounts.New()))).JsonAsync()));

        // 5 permits a minute, share 0.2: one for pass-through, four for disbursements.
        Assert.Equal(1, proxied.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = proxied.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, r => Assert.InRange(r.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        Assert.EndsWith("/partner-quota-exceeded", (await refused[0].JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(1, harness.Ycb.PassThroughCalls.Count - before);

        Assert.Equal(4, payouts.Count(p => p.Str("status") == "succeeded"));
        var limited = payouts.Where(p => p.Str("status") == "failed").ToList();
        Assert.Equal(2, limited.Count);
        Assert.All(limited, p =>
        {
            Assert.Equal("PARTNER_RATE_LIMITED", p.Str("failure.cause"));
            Assert.Equal("rate_limited", p.GetProperty("attempts")[0].Str("outcome"));
            Assert.Equal(0, harness.Ycb.DisburseRequestCount(p.Str("id")));
        });
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Partners:ycb:RateLimit:Permits"] = "5";
            settings["Partners:ycb:RateLimit:Period"] = "00:01:00";
            settings["Partners:ycb:RateLimit:Burst"] = "5";
            settings["Partners:ycb:RateLimit:QueueLimit"] = "0";
            settings["Partners:ycb:RateLimit:PassThroughShare"] = "0.2";
        }
    }
}
