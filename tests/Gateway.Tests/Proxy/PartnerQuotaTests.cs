using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// A partner's quota (Partners:&lt;p&gt;:RateLimit) is enforced at the gateway, for pass-through
/// calls and disbursements alike: what is over it is refused before it reaches the partner.
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
        var keys = Enumerable.Range(0, 3).Select(_ => Api.NewKey()).ToList();
        var payouts = await Task.WhenAll(keys.Select(async k => await (await client.SubmitAsync(k, Api.Body(account: Accounts.New()))).JsonAsync()));

        // One permit a minute: at most one call of all six reaches the partner.
        var refused = proxied.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused.Count >= 2, $"expected at least two 429s, got {string.Join(",", proxied.Select(r => (int)r.StatusCode))}");
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter is not null, "429 without Retry-After"));
        Assert.EndsWith("/partner-quota-exceeded", (await refused[0].JsonAsync()).Str("type"), StringComparison.Ordinal);

        var limited = payouts.Where(p => p.Str("status") == "failed").ToList();
        Assert.True(limited.Count >= 2);
        Assert.All(limited, p =>
        {
            Assert.Equal("PARTNER_RATE_LIMITED", p.Str("failure.cause"));
            Assert.Equal("rate_limited", p.GetProperty("attempts")[0].Str("outcome"));
            Assert.Equal(0, harness.Ycb.DisburseRequestCount(p.Str("id")));
        });
        var reached = harness.Ycb.PassThroughCalls.Count - before + payouts.Count(p => harness.Ycb.DisburseRequestCount(p.Str("id")) > 0);
        Assert.True(reached <= 1, $"{reached} calls reached the partner");
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Partners:ycb:RateLimit:Permits"] = "1";
            settings["Partners:ycb:RateLimit:Period"] = "00:01:00";
            settings["Partners:ycb:RateLimit:Burst"] = "1";
            settings["Partners:ycb:RateLimit:QueueLimit"] = "0";
        }
    }
}
