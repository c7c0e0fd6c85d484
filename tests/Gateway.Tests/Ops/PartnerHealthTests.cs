using System.Text.Json;
using Gateway.Tests.Fixtures;
using Simulators.Prb;
using Simulators.Ycb;

namespace Gateway.Tests.Ops;

/// <summary>
/// <c>/v1/diagnostics/partners</c> measures partners: every partner a payout was attempted at
/// gets that hop's outcome (failover included), the success rate counts only partner-caused
/// outcomes, and business rejections are shown apart. Routing <c>ycb,prb</c>, a database of its own.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PartnerHealthTests(RedisFixture redis, PartnerHealthTests.Harness harness) : IClassFixture<PartnerHealthTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task RoutedPayout_RefusedByYcbForItsOwnReason_ThenExecutedAtPrb_CountsAtBoth()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(RetCode: "9998"));
        var frozen = await SubmitAsync(OpsGateway.FrozenAccount, partner: "ycb");
        var before = await PartnersAsync();

        var payout = await SubmitAsync(account, partner: null);

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("prb", payout.Str("partner"));
        Assert.Equal("failed", frozen.Str("status"));
        Assert.Equal("ACCOUNT_FROZEN", frozen.Str("failure.cause"));
        var after = await PartnersAsync();
        Assert.Equal(1, Delta(before, after, "ycb", "partnerFailures"));
        Assert.Equal(0, Delta(before, after, "ycb", "succeeded"));
        Assert.Equal(1, Delta(before, after, "prb", "succeeded"));
        Assert.Equal(0, Delta(before, after, "prb", "partnerFailures"));

        var ycb = after["ycb"];
        // The frozen account is a business rejection at ycb: shown, never a partner failure.
        Assert.True(ycb.GetProperty("businessRejections").GetInt64() >= 1);
        var ok = ycb.GetProperty("succeeded").GetInt64();
        var partnerFailures = ycb.GetProperty("partnerFailures").GetInt64();
        Assert.Equal(Math.Round(ok / (double)(ok + partnerFailures), 4), ycb.GetProperty("successRate").GetDouble());

        var onCall = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/payouts/" + payout.Str("id"));
        var hops = onCall.GetProperty("onCall").GetProperty("hops").EnumerateArray()
            .Select(h => (h.Str("partner"), h.Str("kind"))).ToList();
        Assert.Equal([("ycb", "partner"), ("prb", "ok")], hops);
    }

    [Fact]
    public async Task BusinessRejectionAtYcb_DoesNotLowerItsSuccessRate_ButShowsAsABusinessRejection()
    {
        await SubmitAsync(Accounts.New(), partner: "ycb");
        var before = await PartnersAsync();

        var frozen = await SubmitAsync(OpsGateway.FrozenAccount, partner: "ycb");

        Assert.Equal("ACCOUNT_FROZEN", frozen.Str("failure.cause"));
        var after = await PartnersAsync();
        Assert.Equal(1, Delta(before, after, "ycb", "businessRejections"));
        Assert.Equal(0, Delta(before, after, "ycb", "partnerFailures"));
        Assert.Equal(before["ycb"].GetProperty("successRate").GetDouble(), after["ycb"].GetProperty("successRate").GetDouble());

        var onCall = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/payouts/" + frozen.Str("id"));
        Assert.Equal("borrower", onCall.Str("onCall.owner"));
        Assert.StartsWith("The beneficiary account is frozen", onCall.Str("onCall.action"), StringComparison.Ordinal);
        Assert.Equal("business", onCall.GetProperty("onCall").GetProperty("hops")[0].Str("kind"));
        var client = await _gateway.ClientFor().GetJsonAsync("/v1/payouts/" + frozen.Str("id"));
        Assert.False(client.TryGetProperty("onCall", out _), "a client's view carries no on-call advice");
    }

    private async Task<JsonElement> SubmitAsync(string account, string? partner)
    {
        var client = _gateway.ClientFor();
        var created = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: account, partner: partner))).JsonAsync();
        return await client.WaitFinalAsync(created.Str("id"));
    }

    /// <summary>The partner view, read past the report cache (<see cref="Gateway.Ops.OutcomeStats.CacheFor"/>) so it shows what was just saved.</summary>
    private async Task<Dictionary<string, JsonElement>> PartnersAsync()
    {
        await Task.Delay(Gateway.Ops.OutcomeStats.CacheFor + TimeSpan.FromMilliseconds(200));
        var report = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/partners");
        return report.GetProperty("partners").EnumerateArray().ToDictionary(p => p.Str("partner"));
    }

    private static long Delta(Dictionary<string, JsonElement> before, Dictionary<string, JsonElement> after, string partner, string field) =>
        after[partner].GetProperty(field).GetInt64() - before[partner].GetProperty(field).GetInt64();

    /// <summary>ycb and prb simulators and a gateway routing <c>ycb,prb</c>.</summary>
    public sealed class Harness : GatewayHarness
    {
        public YcbSimulator Ycb { get; private set; } = null!;
        public PrbSimulator Prb { get; private set; } = null!;

        protected override Dictionary<string, string?> Settings(string redisConnection)
        {
            var settings = PrbHarness.Settings(redisConnection, Prb.Url);
            GatewayFactory.AddYcb(settings, Ycb.Url);

            settings["Routing:Order"] = "ycb,prb";
            return settings;
        }

        protected override void StartSimulators()
        {
            Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SettleAfter = TimeSpan.FromMilliseconds(600) });
            Prb = PrbSimulator.Start(new PrbSimulatorOptions { Token = PrbHarness.Token, SettleAfter = TimeSpan.FromMilliseconds(600) });
        }

        protected override void StopSimulators()
        {
            Ycb.Dispose();
            Prb.Dispose();
        }
    }
}
