using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Routing;

/// <summary>
/// Partners whose circuit is open are skipped by routing; with every partner down a routed
/// payout fails NO_ROUTE at once, having called nobody.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NoRouteTests(RedisFixture redis, NoRouteTests.Harness harness) : IClassFixture<NoRouteTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Routed_EveryPartnersCircuitOpen_FailsNoRouteWithoutCallingAnyone()
    {
        var client = _gateway.ClientFor();
        harness.Ycb.GoDown();
        harness.SilkPay.GoDown();
        try
        {
            // Refused connections at both partners open both breakers (two calls each).
            for (var i = 0; i < 2; i++)
            {
                await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: "ycb"));
                await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: "silkpay"));
            }

            var payout = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: null))).JsonAsync();

            Assert.Equal("failed", payout.Str("status"));
            Assert.Equal("NO_ROUTE", payout.Str("failure.cause"));
            Assert.Equal("gateway", payout.Str("failure.category"));
            Assert.Equal("on_call", payout.Str("failure.owner"));
            Assert.Empty(payout.GetProperty("attempts").EnumerateArray());
        }
        finally
        {
            harness.Ycb.ComeUp();
            harness.SilkPay.ComeUp();
        }
    }

    public sealed class Harness : TwoPartnerHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            foreach (var partner in new[] { "ycb", "silkpay" })
            {
                settings[$"Partners:{partner}:Breaker:MinimumThroughput"] = "2";
                settings[$"Partners:{partner}:Breaker:FailureRatio"] = "0.5";
                settings[$"Partners:{partner}:Breaker:BreakDuration"] = "00:00:30";
                settings[$"Partners:{partner}:MaxRetries"] = "0";
            }
        }
    }
}

/// <summary>A partner whose circuit is open is skipped by routing, without a call.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenCircuitRoutingTests(RedisFixture redis, NoRouteTests.Harness harness) : IClassFixture<NoRouteTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Routed_FirstPartnersCircuitOpen_GoesStraightToTheNext()
    {
        var client = _gateway.ClientFor();
        harness.Ycb.GoDown();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: "ycb"));
            }

            var payout = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: null))).JsonAsync();

            Assert.Equal("succeeded", payout.Str("status"));
            Assert.Equal("silkpay", payout.Str("partner"));
            Assert.All(payout.GetProperty("attempts").EnumerateArray(), a => Assert.Equal("silkpay", a.Str("partner")));
        }
        finally
        {
            harness.Ycb.ComeUp();
        }
    }
}
