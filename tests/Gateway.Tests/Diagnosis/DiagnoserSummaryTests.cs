using Gateway.Diagnosis;
using Gateway.Payouts;
using Gateway.Tests.Payouts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Diagnosis;

/// <summary>
/// A diagnosis summary says what the evidence shows and nothing else: a ycb 9999 (system error)
/// resolved by an inquiry that answered "not found" past the grace is told as exactly that, never
/// as "connection refused/reset or 5xx". The payout is driven through the pure decisions on a
/// <see cref="FakeTimeProvider"/>, so the grace is what makes "not found" believed.
/// </summary>
public sealed class DiagnoserSummaryTests
{
    private static readonly CauseCatalogue Catalogue = CauseCatalogue.Load(CauseCatalogue.DefaultPath);
    private readonly Diagnoser _diagnoser = new(Catalogue, NullLogger<Diagnoser>.Instance);

    private static readonly PartnerAnswer SystemError = new()
    {
        Outcome = PartnerOutcome.Unknown, Label = "unknown", Cause = Causes.PartnerUnavailable,
        PartnerCode = "9999", PartnerMessage = "系统异常", HttpStatus = 200,
    };

    private static readonly PartnerAnswer NeverReceived = new()
    {
        Outcome = PartnerOutcome.NotFound, Label = "not_found", PartnerCode = "1404", PartnerMessage = "交易不存在", HttpStatus = 200,
    };

    [Fact]
    public void SystemErrorThenNotFoundPastGrace_SaysSystemErrorThenInquiryProvedNothingExecuted()
    {
        var (finish, _) = DriveSystemErrorThenNotFound();

        var failure = _diagnoser.Diagnose(new FailureFacts("ycb", finish.Answer, 3, 2400, "closed"));

        Assert.Equal(Causes.PartnerUnavailable, failure.Cause);
        Assert.Equal(
            "ycb answered 9999 (系统异常) with HTTP 200 to the disbursement: a partner system error, so the outcome was unknown; " +
            "a status inquiry then answered 1404 (not found) past the partner's grace, proving ycb never received it: " +
            "nothing was executed (PARTNER_UNAVAILABLE, after 3 call(s) in 2400 ms).",
            failure.Summary);
        Assert.DoesNotContain("refused", failure.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("5xx", failure.Summary, StringComparison.Ordinal);
        Assert.Equal("9999", failure.Evidence.PartnerCode);
        Assert.Equal("not_found", failure.Evidence.Inquiry);
        Assert.Equal("1404", failure.Evidence.InquiryCode);
    }

    [Fact]
    public void SystemErrorThenNotFoundWithinGrace_IsNotYetAFailure()
    {
        var (_, early) = DriveSystemErrorThenNotFound();

        Assert.IsNotType<Finish>(early.Step);
    }

    [Fact]
    public void MappedRejection_QuotesTheCodeAndTheCausesMeaning()
    {
        var frozen = new PartnerAnswer
        {
            Outcome = PartnerOutcome.NotExecuted, Label = "rejected", Cause = "ACCOUNT_FROZEN",
            PartnerCode = "1003", PartnerMessage = "收款账户已冻结", HttpStatus = 200,
        };

        var failure = _diagnoser.Diagnose(new FailureFacts("ycb", frozen, 2, 40, "closed"));

        Assert.Equal("ycb answered 1003 (收款账户已冻结): account is frozen or blocked (冻结).", failure.Summary);
        Assert.Null(failure.Evidence.Inquiry);
    }

    [Fact]
    public void RefusedConnection_IsToldAsTheRefusalItWas()
    {
        var refused = new PartnerAnswer { Outcome = PartnerOutcome.NotExecuted, Label = "refused", Cause = Causes.PartnerUnavailable };

        var failure = _diagnoser.Diagnose(new FailureFacts("prb", refused, 1, 5, "closed"));

        Assert.StartsWith("prb: refused, after 1 call(s) in 5 ms (circuit closed): connection refused", failure.Summary, StringComparison.Ordinal);
    }

    /// <summary>
    /// A named ycb payout: sent, answered 9999 (unknown), inquired within the grace ("not found"
    /// not believed), then again once the grace is over. Returns the final step and the early decision.
    /// </summary>
    private static (Finish Final, Decision Early) DriveSystemErrorThenNotFound()
    {
        var time = new FakeTimeProvider(DecisionFixtures.Created);
        var ctx = DecisionFixtures.Context("ycb");
        var state = DecisionFixtures.State(DecisionFixtures.Payout(routed: false));
        var decision = PayoutDecisions.Decide(state, new Started(ExecutionStart.Send), time.GetUtcNow(), ctx);
        Assert.IsType<Send>(decision.Step);

        time.Advance(TimeSpan.FromMilliseconds(300));
        decision = PayoutDecisions.Decide(decision.State, new Sent("ycb", SystemError), time.GetUtcNow(), ctx);
        time.Advance(TimeSpan.FromMilliseconds(200));
        var early = PayoutDecisions.Decide(decision.State, new Inquired("ycb", NeverReceived, time.GetUtcNow()), time.GetUtcNow(), ctx);

        time.Advance(DecisionFixtures.Grace);
        var final = PayoutDecisions.Decide(early.State, new Inquired("ycb", NeverReceived, time.GetUtcNow()), time.GetUtcNow(), ctx);
        var finish = Assert.IsType<Finish>(final.Step);
        Assert.Equal(PayoutStatus.Failed, finish.Status);
        return (finish, early);
    }
}
