using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Partners;

/// <summary>ycb's breaker opens on a run of outages, stops calls to the partner, and recovers.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CircuitBreakerTests(RedisFixture redis, CircuitBreakerTests.Harness harness)
    : IClassFixture<CircuitBreakerTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task ServerErrors_OpenTheCircuit_ThenPayoutsFailFastWithoutReachingThePartner()
    {
        var client = _gateway.ClientFor();
        for (var i = 0; i < 4; i++)
        {
            var account = Accounts.New();
            harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.ServerError));
            await client.SubmitAsync(Api.NewKey(), Api.Body(account: account));
        }

        var key = Api.NewKey();
        var payout = await (await client.SubmitAsync(key, Api.Body(account: Accounts.New()))).JsonAsync();

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_CIRCUIT_OPEN", payout.Str("failure.cause"));
        Assert.Equal("open", payout.Str("failure.evidence.circuit"));
        Assert.Equal("circuit_open", payout.GetProperty("attempts")[0].Str("outcome"));
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(payout.Str("id")));

        // After the break (the partner view shows it elapsed) the partner is tried again and the next payout goes through.
        await Eventually.HoldsAsync(
            async () => (await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/partners")).GetProperty("partners")[0].Str("circuit") != "open",
            "the circuit never left open", TimeSpan.FromSeconds(15));
        var recovered = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync();
        Assert.Equal("succeeded", recovered.Str("status"));
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Partners:ycb:Breaker:MinimumThroughput"] = "3";
            settings["Partners:ycb:Breaker:FailureRatio"] = "0.5";
            settings["Partners:ycb:Breaker:BreakDuration"] = "00:00:06";
            settings["Partners:ycb:Breaker:SamplingDuration"] = "00:00:30";
        }
    }
}
