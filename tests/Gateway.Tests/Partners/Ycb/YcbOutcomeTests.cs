using System.Text.Json;
using System.Net;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Partners.Ycb;

/// <summary>Every ycb answer of partners.md §1 ends in the right status, cause and number of executions.</summary>
[Collection(GatewayCollection.Name)]
public sealed class YcbOutcomeTests(RedisFixture redis, YcbHarness harness) : IClassFixture<YcbHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Theory]
    [InlineData("1001", "ACCOUNT_INVALID", "beneficiary_account", "borrower")]
    [InlineData("1002", "ACCOUNT_CLOSED", "beneficiary_account", "borrower")]
    [InlineData("1003", "ACCOUNT_FROZEN", "beneficiary_account", "borrower")]
    [InlineData("1004", "ACCOUNT_NAME_MISMATCH", "beneficiary_account", "borrower")]
    [InlineData("1005", "BANK_NOT_SUPPORTED", "beneficiary_account", "lending_backend")]
    [InlineData("2001", "RISK_DECLINED", "risk_control", "risk")]
    [InlineData("2002", "CREDIT_LIMIT_EXCEEDED", "limit", "lending_backend")]
    [InlineData("2003", "PARTNER_QUOTA_EXHAUSTED", "limit", "partner_ops")]
    [InlineData("2004", "KYC_INCOMPLETE", "borrower_qualification", "borrower")]
    [InlineData("2005", "CREDIT_SCORE_INSUFFICIENT", "borrower_qualification", "borrower")]
    [InlineData("2006", "OVERDUE_HISTORY", "borrower_qualification", "borrower")]
    [InlineData("2007", "OVER_INDEBTED", "borrower_qualification", "risk")]
    [InlineData("3001", "REGION_RESTRICTED", "regulatory", "compliance")]
    [InlineData("3002", "CUTOFF_TIME", "regulatory", "lending_backend")]
    [InlineData("4001", "INSUFFICIENT_FUNDS", "funding", "treasury")]
    [InlineData("9998", "PARTNER_MAINTENANCE", "partner_connectivity", "partner_ops")]
    public async Task Disburse_RejectionCode_FailsWithItsCauseAndExecutesNothing(string code, string cause, string category, string owner)
    {
        var (response, payout) = await SubmitAsync(new YcbBehaviour(RetCode: code));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal(cause, payout.Str("failure.cause"));
        Assert.Equal(category, payout.Str("failure.category"));
        Assert.Equal(owner, payout.Str("failure.owner"));
        Assert.Equal(code, payout.Str("failure.evidence.partnerCode"));
        Assert.Equal("ycb", payout.Str("failure.evidence.partner"));
        Assert.Equal("200", payout.Str("failure.evidence.httpStatus"));
        Assert.Contains(code, payout.Str("failure.summary"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(payout.Str("failure.borrowerMessage.zh-CN")));
        Assert.False(string.IsNullOrWhiteSpace(payout.Str("failure.borrowerMessage.en")));
        Assert.Equal(32, payout.Str("failure.evidence.traceId").Length);
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_FrozenAccount_CarriesTheSpecDiagnosis()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(RetCode: "1003"));

        Assert.Equal("resubmit_after_fix", payout.Str("failure.resubmit"));
        Assert.Equal("AC06", payout.Str("failure.isoReason"));
        Assert.Equal("收款账户已冻结", payout.Str("failure.evidence.partnerMessage"));
        Assert.Equal("您的收款账户已被冻结,请联系开户行或更换收款账户后重试。", payout.Str("failure.borrowerMessage.zh-CN"));
        Assert.Equal("Your receiving account is frozen. Contact your bank or use another account.", payout.Str("failure.borrowerMessage.en"));
    }

    [Fact]
    public async Task Disburse_SlowAnswerAfterExecuting_SucceedsAfterInquiryAndExecutesOnce()
    {
        var (response, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(3)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("succeeded", payout.Str("status"));
        var outcomes = payout.Outcomes();
        Assert.Equal("timeout", outcomes[0]);
        Assert.Equal("inquiry", outcomes[^1]);
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_PartnerRefusesConnections_FailsUnavailableAtOnceAsNothingWasSent()
    {
        var client = _gateway.ClientFor();
        harness.Ycb.GoDown();
        JsonElement payout;
        try
        {
            payout = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync();
        }
        finally
        {
            harness.Ycb.ComeUp();
        }

        // A refused connection proves nothing was sent: retried with the same reference, then
        // failed without waiting for an inquiry (the bank cannot have it).
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNAVAILABLE", payout.Str("failure.cause"));
        var outcomes = payout.Outcomes();
        Assert.All(outcomes, o => Assert.Equal("refused", o));
        Assert.Equal(3, outcomes.Length);
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_ExecutedThenThePartnerGoesDown_RefusedInquiriesProveNothing_SucceedsOnceItIsBack()
    {
        // Found by the chaos suite (partner-down): the bank executed, its answer was cut, and the
        // inquiries that followed were refused. A refused inquiry only says the question did not
        // arrive; the payout must stay processing until an answer comes, never fail.
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(3)));
        var client = _gateway.ClientFor();
        var submit = client.SubmitAsync(Api.NewKey(), Api.Body(account: account));
        string? id = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (id is null && DateTime.UtcNow < deadline)
        {
            id = harness.Ycb.Executions.FirstOrDefault(e => e.PayeeAcctNo == account)?.ReqSeqNo;
            await Task.Delay(20);
        }

        Assert.NotNull(id);
        harness.Ycb.GoDown();
        JsonElement answered;
        try
        {
            answered = await (await submit).JsonAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal("processing", (await (await client.GetAsync($"/v1/payouts/{id}")).JsonAsync()).Str("status"));
        }
        finally
        {
            harness.Ycb.ComeUp();
        }

        Assert.Equal("processing", answered.Str("status"));
        var payout = await client.WaitFinalAsync(id);
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Contains("refused", payout.Outcomes());
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
    }

    [Fact]
    public async Task Disburse_TimeoutAndTheBankNeverGotIt_FailsPartnerTimeoutOnlyAfterInquiry()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.SlowWithoutExecuting, Delay: TimeSpan.FromSeconds(3)));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_TIMEOUT", payout.Str("failure.cause"));
        Assert.Equal("on_call", payout.Str("failure.owner"));
        var outcomes = payout.Outcomes();
        Assert.Equal("timeout", outcomes[0]);
        Assert.Contains("inquiry", outcomes);
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_UnreadableAnswerAndTheBankNeverGotIt_FailsMalformedOnlyAfterInquiry()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.MalformedWithoutExecuting));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_MALFORMED_RESPONSE", payout.Str("failure.cause"));
        Assert.Equal("partner_integration", payout.Str("failure.category"));
        Assert.Equal("malformed", payout.Outcomes()[0]);
        Assert.Contains("inquiry", payout.Outcomes());
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_ConnectionDroppedAfterExecuting_SucceedsAfterInquiryAndExecutesOnce()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.DropAfterExecute));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("inquiry", payout.Outcomes()[^1]);
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_9999AfterExecuting_IsNotAFailure()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.ExecuteThenUnknown, RetCode: "9999"));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_9999NeverReceived_FailsOnlyAfterInquiryGrace()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(RetCode: "9999"));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNAVAILABLE", payout.Str("failure.cause"));
        Assert.Equal("9999", payout.Str("failure.evidence.partnerCode"));
        var attempts = payout.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Contains(attempts, a => a.Str("outcome") == "inquiry" && a.Str("partnerCode") == "1404");
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
        // The summary tells what the evidence shows: a system error, then an inquiry that proved nothing executed.
        var summary = payout.Str("failure.summary");
        Assert.StartsWith("ycb answered 9999", summary, StringComparison.Ordinal);
        Assert.Contains("partner system error", summary, StringComparison.Ordinal);
        Assert.Contains("1404 (not found)", summary, StringComparison.Ordinal);
        Assert.Contains("nothing was executed", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("connection refused", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("5xx", summary, StringComparison.Ordinal);
        Assert.Equal("not_found", payout.Str("failure.evidence.inquiry"));
        Assert.Equal("1404", payout.Str("failure.evidence.inquiryCode"));
    }

    [Fact]
    public async Task Disburse_UnmappedCodeAfterExecuting_Succeeds()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.ExecuteThenUnknown, RetCode: "7777"));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("unknown_code", payout.Outcomes()[0]);
    }

    [Fact]
    public async Task Disburse_UnmappedCodeNeverReceived_FailsAsUnknownCodeKeepingTheRawCode()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(RetCode: "7777"));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNKNOWN_CODE", payout.Str("failure.cause"));
        Assert.Equal("7777", payout.Str("failure.evidence.partnerCode"));
    }

    [Fact]
    public async Task Disburse_MalformedAnswerAfterExecuting_SucceedsAfterInquiry()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.Malformed));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("malformed", payout.Outcomes()[0]);
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_ServerErrorNothingExecuted_FailsUnavailableAfterInquiry()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.ServerError));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNAVAILABLE", payout.Str("failure.cause"));
        Assert.Equal("partner_connectivity", payout.Str("failure.category"));
        Assert.Equal("on_call", payout.Str("failure.owner"));
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_ProcessingThenSettled_SucceedsThroughInquiry()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.ProcessingThenSettle));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("processing", payout.Outcomes()[0]);
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_ProcessingThenFailed_AdoptsTheBanksFailure()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(YcbMode.ProcessingThenSettle, SettleRetCode: "1003"));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("ACCOUNT_FROZEN", payout.Str("failure.cause"));
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_BusyTwiceThenAccepted_RetriesWithTheSameReferenceAndSucceeds()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(RetCode: "9001", Times: 2));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(["throttled", "throttled", "succeeded"], payout.Outcomes());
        Assert.Equal(3, harness.Ycb.DisburseRequestCount(payout.Str("id")));
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_BusyBeyondRetryBudget_FailsRateLimited()
    {
        var (_, payout) = await SubmitAsync(new YcbBehaviour(RetCode: "9001"));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_RATE_LIMITED", payout.Str("failure.cause"));
        Assert.Equal(3, payout.Outcomes().Length);
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_AnswerSlowerThanSyncBudget_Answers201ProcessingThenSucceeds()
    {
        using var fast = new GatewayFactory(new Dictionary<string, string?>(GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), harness.Ycb.Url))
        {
            ["Payouts:SyncBudget"] = "00:00:00.300",
        });
        var client = fast.ClientFor();
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.ProcessingThenSettle));

        var response = await client.SubmitAsync(Api.NewKey(), Api.Body(account: account));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payout = await response.JsonAsync();
        Assert.Equal("processing", payout.Str("status"));
        Assert.False(payout.TryGetProperty("failure", out _));
        var final = await client.WaitFinalAsync(payout.Str("id"));
        Assert.Equal("succeeded", final.Str("status"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Disburse_WrongAppSecret_FailsAuthWithoutExecuting()
    {
        using var misconfigured = new GatewayFactory(new Dictionary<string, string?>(GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), harness.Ycb.Url))
        {
            ["Partners:ycb:AppSecret"] = "not-the-secret-the-bank-has",
        });

        var response = await misconfigured.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));

        var payout = await response.JsonAsync();
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_AUTH_FAILED", payout.Str("failure.cause"));
        Assert.Equal("9003", payout.Str("failure.evidence.partnerCode"));
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
    }

    private async Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Payout)> SubmitAsync(YcbBehaviour behaviour)
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, behaviour);
        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account));
        var payout = await response.JsonAsync();
        Assert.Equal(Ids.Of(GatewayFactory.ClientA, "x").Length, payout.Str("id").Length);
        return (response, payout);
    }
}
