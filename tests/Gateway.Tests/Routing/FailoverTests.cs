using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Routing;

/// <summary>
/// failure-causes.md rule 3: a payout that names no partner moves along Routing:Order only when
/// the current partner definitely did not execute it, and never after an ambiguous outcome;
/// the attempts list shows every hop.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FailoverTests(RedisFixture redis, TwoPartnerHarness harness) : IClassFixture<TwoPartnerHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Routed_FirstPartnerInMaintenance_FailsOverAndSucceedsAtTheNext()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(RetCode: "9998"));

        var payout = await SubmitRoutedAsync(account);

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("silkpay", payout.Str("partner"));
        var hops = payout.GetProperty("attempts").EnumerateArray().Select(a => (a.Str("partner"), a.Str("outcome"))).ToList();
        Assert.Equal(("ycb", "rejected"), hops[0]);
        Assert.Equal(("silkpay", "succeeded"), hops[^1]);
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Routed_FirstPartnerRefusesConnections_FailsOverWithoutWaiting()
    {
        harness.Ycb.GoDown();
        System.Text.Json.JsonElement payout;
        try
        {
            payout = await SubmitRoutedAsync(Accounts.New());
        }
        finally
        {
            harness.Ycb.ComeUp();
        }

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("silkpay", payout.Str("partner"));
        var hops = payout.GetProperty("attempts").EnumerateArray().Select(a => (a.Str("partner"), a.Str("outcome"))).ToList();
        Assert.Equal(("ycb", "refused"), hops[0]);
        Assert.DoesNotContain(hops, h => h.Item1 == "ycb" && h.Item2 == "inquiry");
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Routed_ServerErrorThenInquiryProvesNothingExecuted_FailsOver()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.ServerError));

        var payout = await SubmitRoutedAsync(account);

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("silkpay", payout.Str("partner"));
        var ycbOutcomes = payout.GetProperty("attempts").EnumerateArray().Where(a => a.Str("partner") == "ycb").Select(a => a.Str("outcome")).ToList();
        Assert.Equal("unavailable", ycbOutcomes[0]);
        Assert.Contains("inquiry", ycbOutcomes);
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Routed_AmbiguousTimeoutAfterExecuting_NeverFailsOver()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowAfterExecute));

        var payout = await SubmitRoutedAsync(account);

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("ycb", payout.Str("partner"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
        Assert.Equal(0, harness.SilkPay.TransferRequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task Routed_BorrowerSideRejection_IsFinalAndNeverShoppedToAnotherPartner()
    {
        var payout = await SubmitRoutedAsync("629900000000001003");

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("ACCOUNT_FROZEN", payout.Str("failure.cause"));
        Assert.Equal(0, harness.SilkPay.TransferRequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task Routed_RiskDecline_IsNotReDecidedByAnotherPartner()
    {
        var payout = await SubmitRoutedAsync("629900000000002001");

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("RISK_DECLINED", payout.Str("failure.cause"));
        Assert.Equal(0, harness.SilkPay.TransferRequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task NamedPartner_InMaintenance_FailsWithoutFailover()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(RetCode: "9998"));

        var payout = await (await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account, partner: "ycb"))).JsonAsync();

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_MAINTENANCE", payout.Str("failure.cause"));
        Assert.Equal("ycb", payout.Str("partner"));
        Assert.Equal(0, harness.SilkPay.TransferRequestCount(payout.Str("id")));
    }

    private async Task<System.Text.Json.JsonElement> SubmitRoutedAsync(string account)
    {
        var client = _gateway.ClientFor();
        var created = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: account, partner: null))).JsonAsync();
        return await client.WaitFinalAsync(created.Str("id"));
    }
}
