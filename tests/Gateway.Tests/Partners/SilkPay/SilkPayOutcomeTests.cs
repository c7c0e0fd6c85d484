using System.Net;
using System.Text.Json;
using Gateway.Partners;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Simulators.SilkPay;

namespace Gateway.Tests.Partners.SilkPay;

/// <summary>Every SilkPay answer of partners.md §3 ends in the right status, cause and number of executions.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SilkPayOutcomeTests(RedisFixture redis, SilkPayHarness harness) : IClassFixture<SilkPayHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Theory]
    [InlineData("account_closed", "ACCOUNT_CLOSED", "beneficiary_account", "borrower")]
    [InlineData("account_frozen", "ACCOUNT_FROZEN", "beneficiary_account", "borrower")]
    [InlineData("bank_account_restricted", "ACCOUNT_FROZEN", "beneficiary_account", "borrower")]
    [InlineData("invalid_account_number", "ACCOUNT_INVALID", "beneficiary_account", "borrower")]
    [InlineData("no_account", "ACCOUNT_INVALID", "beneficiary_account", "borrower")]
    [InlineData("incorrect_account_holder_name", "ACCOUNT_NAME_MISMATCH", "beneficiary_account", "borrower")]
    [InlineData("bank_ownership_changed", "ACCOUNT_NAME_MISMATCH", "beneficiary_account", "borrower")]
    [InlineData("unsupported_bank", "BANK_NOT_SUPPORTED", "beneficiary_account", "lending_backend")]
    [InlineData("insufficient_funds", "INSUFFICIENT_FUNDS", "funding", "treasury")]
    [InlineData("invalid_currency", "REQUEST_INVALID", "request", "lending_backend")]
    [InlineData("declined", "PARTNER_UNSPECIFIED", "unspecified", "partner_ops")]
    [InlineData("could_not_process", "PARTNER_DOWNSTREAM_FAILURE", "partner_connectivity", "partner_ops")]
    [InlineData("risk_declined", "RISK_DECLINED", "risk_control", "risk")]
    [InlineData("region_restricted", "REGION_RESTRICTED", "regulatory", "compliance")]
    public async Task Transfer_FailedWithFailureCode_FailsWithItsCauseAndExecutesNothing(string code, string cause, string category, string owner)
    {
        var (response, payout) = await SubmitAsync(new SilkPayBehaviour(FailureCode: code));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal(cause, payout.Str("failure.cause"));
        Assert.Equal(category, payout.Str("failure.category"));
        Assert.Equal(owner, payout.Str("failure.owner"));
        Assert.Equal(code, payout.Str("failure.evidence.partnerCode"));
        Assert.Equal("silkpay", payout.Str("failure.evidence.partner"));
        Assert.Equal("200", payout.Str("failure.evidence.httpStatus"));
        Assert.Contains(code, payout.Str("failure.summary"), StringComparison.Ordinal);
        Assert.Equal(["rejected"], payout.Outcomes());
        Assert.Equal(0, harness.SilkPay.ExecutionCount(payout.Str("id")));
        Assert.Equal(1, harness.SilkPay.TransferRequestCount(payout.Str("id")));
    }

    [Theory]
    [InlineData(400, "amount_too_large", "AMOUNT_LIMIT_EXCEEDED", "limit", "lending_backend")]
    [InlineData(400, "parameter_invalid", "REQUEST_INVALID", "request", "lending_backend")]
    [InlineData(400, "parameter_unknown", "PARTNER_REJECTED_FORMAT", "partner_integration", "on_call")]
    [InlineData(402, "balance_insufficient", "INSUFFICIENT_FUNDS", "funding", "treasury")]
    public async Task Transfer_ErrorAnswer_FailsWithItsCauseAndExecutesNothing(int status, string code, string cause, string category, string owner)
    {
        var (response, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.Error, HttpStatus: status, ErrorCode: code));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal(cause, payout.Str("failure.cause"));
        Assert.Equal(category, payout.Str("failure.category"));
        Assert.Equal(owner, payout.Str("failure.owner"));
        Assert.Equal(code, payout.Str("failure.evidence.partnerCode"));
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), payout.Str("failure.evidence.httpStatus"));
        Assert.Equal(0, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_FrozenAccount_CarriesTheSpecDiagnosis()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(FailureCode: "account_frozen"));

        Assert.Equal("resubmit_after_fix", payout.Str("failure.resubmit"));
        Assert.Equal("The destination bank account is frozen.", payout.Str("failure.evidence.partnerMessage"));
        Assert.Equal("您的收款账户已被冻结,请联系开户行或更换收款账户后重试。", payout.Str("failure.borrowerMessage.zh-CN"));
    }

    [Fact]
    public async Task Transfer_UnmappedFailureCode_FailsAsUnknownCodeKeepingTheRawCode()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(FailureCode: "card_velocity_exceeded"));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNKNOWN_CODE", payout.Str("failure.cause"));
        Assert.Equal("card_velocity_exceeded", payout.Str("failure.evidence.partnerCode"));
        Assert.Equal(0, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Theory]
    [InlineData("0.01", 1L)]
    [InlineData("12800.50", 1_280_050L)]
    [InlineData("999999.99", 99_999_999L)]
    [InlineData("5000.00", 500_000L)]
    public async Task Transfer_RoutedToSilkPay_ExecutesTheAmountInFenExactly(string amount, long fen)
    {
        var account = Accounts.New();
        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account, amount: amount, partner: null));
        var payout = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("silkpay", payout.Str("partner"));
        Assert.Equal(amount, payout.Str("amount"));
        var execution = Assert.Single(harness.SilkPay.Executions, e => e.ClientReference == payout.Str("id"));
        Assert.Equal(fen, execution.Amount);
        Assert.Equal("cny", execution.Currency);
        Assert.Equal(payout.Str("id"), execution.IdempotencyKey);
        Assert.Equal(account, execution.AccountNumber);
        Assert.Equal("张三", execution.AccountHolderName);
        Assert.Equal("ICBC", execution.BankCode);
        Assert.Equal("LN-2026-000123", execution.Description);
        Assert.Equal(execution.TransferId, payout.Str("partnerReference"));
    }

    [Fact]
    public async Task Transfer_SlowAnswerAfterExecuting_SucceedsAfterInquiryAndExecutesOnce()
    {
        var (response, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(3)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("succeeded", payout.Str("status"));
        var outcomes = payout.Outcomes();
        Assert.Equal("timeout", outcomes[0]);
        Assert.Equal("inquiry", outcomes[^1]);
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
        Assert.Equal(1, harness.SilkPay.TransferRequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_ConnectionDroppedAfterExecuting_SucceedsAfterInquiryAndExecutesOnce()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.DropAfterExecute));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("inquiry", payout.Outcomes()[^1]);
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
        Assert.Equal(1, harness.SilkPay.TransferRequestCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_PendingThenPaid_SucceedsThroughInquiry()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.ProcessingThenSettle));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("processing", payout.Outcomes()[0]);
        Assert.Equal("inquiry", payout.Outcomes()[^1]);
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_InTransitThenFailed_AdoptsTheFailureCode()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(
            SilkPayMode.ProcessingThenSettle, FailureCode: "account_frozen", PendingStatus: "in_transit"));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("ACCOUNT_FROZEN", payout.Str("failure.cause"));
        Assert.Equal("account_frozen", payout.Str("failure.evidence.partnerCode"));
        Assert.Equal("processing", payout.Outcomes()[0]);
        Assert.Equal(0, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_KeyReusedForTheSamePayout_AdoptsThePartnersTransfer()
    {
        var account = Accounts.New();
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var held = harness.SilkPay.Hold(new SilkPayHeldTransfer(id, 500_000, account, "张三", "ICBC", "LN-2026-000123"));

        var response = await _gateway.ClientFor().SubmitAsync(key, Api.Body(account: account, partner: "silkpay"));
        var payout = await response.JsonAsync();

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(held, payout.Str("partnerReference"));
        Assert.Equal("duplicate", payout.Outcomes()[0]);
        Assert.Equal("409", payout.GetProperty("attempts")[0].Str("httpStatus"));
        Assert.Equal(1, harness.SilkPay.ExecutionCount(id));
        Assert.Equal(1, harness.SilkPay.TransferRequestCount(id));
    }

    /// <summary>
    /// failure-causes.md rule 2: the partner's record under our reference pays another amount, so
    /// adopting it would report a payout that never happened as succeeded.
    /// </summary>
    [Fact]
    public async Task Transfer_KeyReusedForADifferentAmount_FailsAsDuplicatePayout()
    {
        var account = Accounts.New();
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        harness.SilkPay.Hold(new SilkPayHeldTransfer(id, 400_000, account, "张三", "ICBC", "LN-2026-000123"));

        var response = await _gateway.ClientFor().SubmitAsync(key, Api.Body(account: account, amount: "5000.00", partner: "silkpay"));
        var payout = await FinalAsync(response);

        Assert.NotEqual("succeeded", payout.Str("status"));
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("DUPLICATE_PAYOUT", payout.Str("failure.cause"));
        Assert.Equal("request", payout.Str("failure.category"));
        Assert.Equal("do_not_resubmit", payout.Str("failure.resubmit"));
        Assert.Equal(1, harness.SilkPay.ExecutionCount(id));
    }

    /// <summary>
    /// SilkPay compares bodies under one Idempotency-Key: the same payout sent again (a client retry
    /// after the gateway lost its record) must be the same bytes, so it is replayed, not refused.
    /// </summary>
    [Fact]
    public async Task Disburse_SameOrderSentTwice_IsReplayedByThePartnerAndExecutedOnce()
    {
        var client = _gateway.Services.GetRequiredService<PartnerRegistry>().Get("silkpay").Client;
        var reference = Ids.Of(GatewayFactory.ClientA, Api.NewKey());
        var order = new DisbursementOrder(reference, 12_800.50m, "CNY", new Beneficiary("张三", Accounts.New(), "ICBC"), "LN-2026-000123");

        var first = await client.DisburseAsync(order, CancellationToken.None);
        var second = await client.DisburseAsync(order, CancellationToken.None);

        Assert.Equal(PartnerOutcome.Succeeded, first.Outcome);
        Assert.Equal(PartnerOutcome.Succeeded, second.Outcome);
        Assert.Equal(first.PartnerReference, second.PartnerReference);
        Assert.Equal(12_800.50m, second.RecordedAmount);
        Assert.Equal(order.Beneficiary.AccountNumber, second.RecordedAccount);
        Assert.Equal(2, harness.SilkPay.TransferRequestCount(reference));
        Assert.Equal(1, harness.SilkPay.ExecutionCount(reference));
    }

    [Fact]
    public async Task Transfer_ThrottledTwiceThenAccepted_RetriesWithTheSameBodyAndSucceeds()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.Throttle, RetryAfter: TimeSpan.FromSeconds(1), Times: 2));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(["throttled", "throttled", "succeeded"], payout.Outcomes());
        Assert.Equal(3, harness.SilkPay.TransferRequestCount(payout.Str("id")));
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_ThrottledBeyondRetryBudget_FailsRateLimited()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.Throttle, RetryAfter: TimeSpan.Zero));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_RATE_LIMITED", payout.Str("failure.cause"));
        Assert.Equal("partner_connectivity", payout.Str("failure.category"));
        Assert.Equal("429", payout.Str("failure.evidence.httpStatus"));
        Assert.Equal(["throttled", "throttled", "throttled"], payout.Outcomes());
        Assert.Equal(0, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Transfer_ServerErrorNothingExecuted_FailsUnavailableAfterInquiry(int status)
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.ServerError, HttpStatus: status));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNAVAILABLE", payout.Str("failure.cause"));
        Assert.Equal("on_call", payout.Str("failure.owner"));
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), payout.Str("failure.evidence.httpStatus"));
        var outcomes = payout.Outcomes();
        Assert.Equal("unavailable", outcomes[0]);
        Assert.Contains("inquiry", outcomes);
        Assert.Equal(0, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_ServerErrorAfterExecuting_SucceedsAfterInquiryAndExecutesOnce()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.ExecuteThenServerError, HttpStatus: 502));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("unavailable", payout.Outcomes()[0]);
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_MalformedAnswerAfterExecuting_SucceedsAfterInquiry()
    {
        var (_, payout) = await SubmitAsync(new SilkPayBehaviour(SilkPayMode.Malformed));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("malformed", payout.Outcomes()[0]);
        Assert.Equal(1, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    [Fact]
    public async Task Transfer_WrongSecretKey_FailsAuthWithoutExecuting()
    {
        using var misconfigured = new GatewayFactory(new Dictionary<string, string?>(SilkPayHarness.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), harness.SilkPay.Url))
        {
            ["Partners:silkpay:SecretKey"] = "sk_test_not_the_key_silkpay_has",
        });

        var response = await misconfigured.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: "silkpay"));

        var payout = await response.JsonAsync();
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_AUTH_FAILED", payout.Str("failure.cause"));
        Assert.Equal("partner_integration", payout.Str("failure.category"));
        Assert.Equal("invalid_api_key", payout.Str("failure.evidence.partnerCode"));
        Assert.Equal("401", payout.Str("failure.evidence.httpStatus"));
        Assert.Equal(0, harness.SilkPay.ExecutionCount(payout.Str("id")));
    }

    private async Task<(HttpResponseMessage Response, JsonElement Payout)> SubmitAsync(SilkPayBehaviour behaviour)
    {
        var account = Accounts.New();
        harness.SilkPay.SetBehaviour(account, behaviour);
        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account, partner: "silkpay"));
        var payout = await FinalAsync(response);
        Assert.Equal("silkpay", payout.Str("partner"));
        return (response, payout);
    }

    /// <summary>The payout as the POST answered it, or its final state if the answer was still processing.</summary>
    private async Task<JsonElement> FinalAsync(HttpResponseMessage response)
    {
        var payout = await response.JsonAsync();
        return payout.Str("status") == "processing"
            ? await _gateway.ClientFor().WaitFinalAsync(payout.Str("id"))
            : payout;
    }
}
