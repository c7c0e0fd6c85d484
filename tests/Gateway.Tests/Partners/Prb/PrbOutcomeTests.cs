using System.Net;
using System.Text.Json;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Simulators.Prb;

namespace Gateway.Tests.Partners.Prb;

/// <summary>Every prb answer of partners.md §2 read as the spec says, through the real gateway.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PrbOutcomeTests(RedisFixture redis, PrbHarness harness) : IClassFixture<PrbHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Theory]
    [InlineData("RSKD", "RISK_DECLINED", "risk_control", "risk")]
    [InlineData("CRLM", "CREDIT_LIMIT_EXCEEDED", "limit", "lending_backend")]
    [InlineData("QTEX", "PARTNER_QUOTA_EXHAUSTED", "limit", "partner_ops")]
    [InlineData("KYCI", "KYC_INCOMPLETE", "borrower_qualification", "borrower")]
    [InlineData("CSCR", "CREDIT_SCORE_INSUFFICIENT", "borrower_qualification", "borrower")]
    [InlineData("OVDU", "OVERDUE_HISTORY", "borrower_qualification", "borrower")]
    [InlineData("MULT", "OVER_INDEBTED", "borrower_qualification", "risk")]
    [InlineData("REGN", "REGION_RESTRICTED", "regulatory", "compliance")]
    public async Task Transfer_ProprietaryRejection_FailsWithItsCauseAndExecutesNothing(string prtry, string cause, string category, string owner)
    {
        var payout = await SubmitAsync(new PrbBehaviour(Prtry: prtry));

        AssertFailed(payout, cause, category, owner, prtry);
    }

    [Theory]
    [InlineData("AC01", "ACCOUNT_INVALID", "beneficiary_account", "borrower")]
    [InlineData("AC04", "ACCOUNT_CLOSED", "beneficiary_account", "borrower")]
    [InlineData("AC06", "ACCOUNT_FROZEN", "beneficiary_account", "borrower")]
    [InlineData("AC07", "ACCOUNT_CLOSED", "beneficiary_account", "borrower")]
    [InlineData("MD07", "ACCOUNT_CLOSED", "beneficiary_account", "borrower")]
    [InlineData("BE01", "ACCOUNT_NAME_MISMATCH", "beneficiary_account", "borrower")]
    [InlineData("AM04", "INSUFFICIENT_FUNDS", "funding", "treasury")]
    [InlineData("AM14", "AMOUNT_LIMIT_EXCEEDED", "limit", "lending_backend")]
    [InlineData("FF10", "PARTNER_DOWNSTREAM_FAILURE", "partner_connectivity", "partner_ops")]
    [InlineData("RR04", "REGULATORY_BLOCK", "regulatory", "compliance")]
    [InlineData("FRAD", "FRAUD_SUSPECTED", "risk_control", "risk")]
    [InlineData("TM01", "CUTOFF_TIME", "regulatory", "lending_backend")]
    [InlineData("RC01", "BANK_NOT_SUPPORTED", "beneficiary_account", "lending_backend")]
    [InlineData("ZZ99", "PARTNER_UNKNOWN_CODE", "partner_integration", "on_call")]
    public async Task Transfer_IsoRejection_FailsByIsoMeaningAndExecutesNothing(string cd, string cause, string category, string owner)
    {
        var payout = await SubmitAsync(new PrbBehaviour(Cd: cd));

        AssertFailed(payout, cause, category, owner, cd);
        if (cd != "ZZ99")
        {
            // The bank's own ISO reason is the diagnosis' isoReason.
            Assert.Equal(cd, payout.Str("failure.isoReason"));
        }
    }

    [Fact]
    public async Task Transfer_Accepted_SucceedsWithTheBanksReferenceAndTheAmountAsSent()
    {
        var payout = await SubmitAsync(new PrbBehaviour(), amount: "12800.50");

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.StartsWith("PRB-", payout.Str("partnerReference"), StringComparison.Ordinal);
        var executed = Assert.Single(harness.Prb.Executions, e => e.EndToEndId == payout.Str("id"));
        Assert.Equal(12800.50m, executed.Amount);
        Assert.Equal("CNY", executed.Currency);
        Assert.StartsWith(payout.Str("id") + "-", executed.MsgId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_AnswerSlowerThanTheTimeoutAfterExecuting_SucceedsAfterInquiryOnce()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.SlowAfterExecute));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("timeout", payout.Outcomes()[0]);
        Assert.Equal("inquiry", payout.Outcomes()[^1]);
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Str("id")));
        Assert.Equal(1, harness.Prb.RequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_ConnectionDroppedAfterExecuting_SucceedsOnce()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.DropAfterExecute));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_MalformedAfterExecuting_SucceedsAfterInquiry()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.Malformed));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("malformed", payout.Outcomes()[0]);
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_ServerErrorAfterExecuting_SucceedsAfterInquiry()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.ExecuteThenServerError));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_ServerErrorNothingExecuted_FailsUnavailableOnlyAfterTheInquiryGrace()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.ServerError));

        AssertFailed(payout, "PARTNER_UNAVAILABLE", "partner_connectivity", "on_call", partnerCode: null);
        Assert.Contains("inquiry", payout.Outcomes());
    }

    [Fact]
    public async Task Transfer_PendingThenSettled_SucceedsThroughInquiry()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.ProcessingThenSettle));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("processing", payout.Outcomes()[0]);
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_PendingThenRejected_AdoptsTheBanksRejection()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.ProcessingThenSettle, SettleCd: "AB09"));

        AssertFailed(payout, "PARTNER_DOWNSTREAM_FAILURE", "partner_connectivity", "partner_ops", "AB09");
    }

    [Fact]
    public async Task Transfer_ThrottledTwiceThenAccepted_RetriesWithTheSameEndToEndIdAndSucceeds()
    {
        var account = Accounts.New();
        harness.Prb.SetBehaviour(account, new PrbBehaviour(PrbMode.Throttle, Times: 2));

        var payout = await SubmitRawAsync(account);

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(["throttled", "throttled", "succeeded"], payout.Outcomes());
        Assert.Equal(3, harness.Prb.RequestCount(payout.Str("id")));
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_ThrottledBeyondTheRetryBudget_FailsRateLimited()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.Throttle));

        AssertFailed(payout, "PARTNER_RATE_LIMITED", "partner_connectivity", "on_call", "HTTP429");
    }

    [Fact]
    public async Task Transfer_Maintenance_FailsWithoutExecuting()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.Maintenance));

        AssertFailed(payout, "PARTNER_MAINTENANCE", "partner_connectivity", "partner_ops", "MAINTENANCE");
    }

    [Fact]
    public async Task Transfer_MessageUnreadable_FailsRejectedFormat()
    {
        var payout = await SubmitAsync(new PrbBehaviour(PrbMode.FormatError));

        AssertFailed(payout, "PARTNER_REJECTED_FORMAT", "partner_integration", "on_call", "FF01");
    }

    [Fact]
    public async Task Transfer_ReusedEndToEndId_Gets409DuplAndAdoptsTheOriginalResult()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var account = Accounts.New();
        var first = await (await client.SubmitAsync(key, Api.Body(account: account, partner: "prb"))).JsonAsync();
        Assert.Equal("succeeded", first.Str("status"));

        // Redis loses the payout; the client retries the same key: same payout id, same endToEndId.
        await redis.Connection.GetDatabase(harness.Database).KeyDeleteAsync(PayoutKeys.Payout(first.Str("id")));
        var retry = await client.SubmitAsync(key, Api.Body(account: account, partner: "prb"));
        var payout = await client.WaitFinalAsync((await retry.JsonAsync()).Str("id"));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("duplicate", payout.Outcomes()[0]);
        Assert.Equal(first.Str("partnerReference"), payout.Str("partnerReference"));
        Assert.Equal(2, harness.Prb.RequestCount(first.Str("id")));
        Assert.Equal(1, harness.Prb.ExecutionCount(first.Str("id")));
    }

    [Fact]
    public async Task Transfer_WrongToken_FailsAuthWithoutExecuting()
    {
        var settings = PrbHarness.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), harness.Prb.Url);
        settings["Partners:prb:Token"] = "a-token-the-bank-does-not-know";
        using var misconfigured = new GatewayFactory(settings);

        var payout = await (await misconfigured.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: "prb"))).JsonAsync();

        AssertFailed(payout, "PARTNER_AUTH_FAILED", "partner_integration", "on_call", "HTTP401");
    }

    [Fact]
    public async Task PassThrough_SettlementBalance_CarriesTheBearerTokenNotTheApiKey()
    {
        var response = await _gateway.ClientFor().GetAsync("/partners/prb/iso20022/v1/accounts/settlement/balance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("830000.00", body.Str("available"));
        Assert.Equal("CNY", body.Str("ccy"));
    }

    private async Task<JsonElement> SubmitAsync(PrbBehaviour behaviour, string amount = "5000.00")
    {
        var account = Accounts.New();
        harness.Prb.SetBehaviour(account, behaviour);
        return await SubmitRawAsync(account, amount);
    }

    private async Task<JsonElement> SubmitRawAsync(string account, string amount = "5000.00")
    {
        var client = _gateway.ClientFor();
        var created = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: account, amount: amount, partner: "prb"))).JsonAsync();
        return await client.WaitFinalAsync(created.Str("id"));
    }

    private void AssertFailed(JsonElement payout, string cause, string category, string owner, string? partnerCode)
    {
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal(cause, payout.Str("failure.cause"));
        Assert.Equal(category, payout.Str("failure.category"));
        Assert.Equal(owner, payout.Str("failure.owner"));
        Assert.Equal("prb", payout.Str("failure.evidence.partner"));
        if (partnerCode is not null)
        {
            Assert.Equal(partnerCode, payout.Str("failure.evidence.partnerCode"));
        }

        Assert.Equal(0, harness.Prb.ExecutionCount(payout.Str("id")));
    }
}
