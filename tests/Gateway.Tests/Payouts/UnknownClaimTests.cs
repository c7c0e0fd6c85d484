using Gateway.Hosting;
using Gateway.Payouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Tests.Payouts;

/// <summary>A claim whose reply timed out: the answer never says more than one read after it proves.</summary>
public sealed class UnknownClaimTests
{
    private const string Own = "host/1/abc|1";

    [Fact]
    public void Decide_OwnClaimCommitted_ContinuesTheExecution() =>
        Assert.Equal(UnknownClaimStep.Continue, UnknownClaim.Decide(true, Stored(), Own, "fp", Own));

    [Fact]
    public void Decide_RecordUnreadable_IsOutcomeUnknown() =>
        Assert.Equal(UnknownClaimStep.OutcomeUnknown, UnknownClaim.Decide(false, null, null, "fp", Own));

    [Fact]
    public void Decide_NoRecordYet_IsOutcomeUnknownNotNotSent() =>
        Assert.Equal(UnknownClaimStep.OutcomeUnknown, UnknownClaim.Decide(true, null, null, "fp", Own));

    [Fact]
    public void Decide_AnotherRequestsClaim_IsInFlightOrReplayOrMismatch()
    {
        Assert.Equal(UnknownClaimStep.InFlight, UnknownClaim.Decide(true, Stored(), "other/2/def|1", "fp", Own));
        Assert.Equal(UnknownClaimStep.InFlight, UnknownClaim.Decide(true, Stored() with { Fence = 2 }, Own, "fp", Own));
        Assert.Equal(UnknownClaimStep.Replay, UnknownClaim.Decide(true, Stored(PayoutStatus.Succeeded), null, "fp", Own));
        Assert.Equal(UnknownClaimStep.Mismatch, UnknownClaim.Decide(true, Stored(), Own, "other-body", Own));
    }

    [Fact]
    public void ClaimOutcomeUnknown_Is503SayingTheOutcomeIsUnknownAndToRetryWithTheSameKey()
    {
        var problem = Assert.IsType<ProblemHttpResult>(Problems.ClaimOutcomeUnknown("po_x"));

        Assert.Equal(503, problem.StatusCode);
        Assert.EndsWith("/state-store-unavailable", problem.ProblemDetails.Type, StringComparison.Ordinal);
        Assert.Contains("outcome is unknown", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Contains("same Idempotency-Key", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("not sent", problem.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    private static StoredPayout Stored(PayoutStatus status = PayoutStatus.Processing) => new(new PayoutRecord
    {
        Id = "po_x",
        Client = "client-a",
        LoanId = "LN-1",
        Amount = 1.00m,
        Currency = "CNY",
        Beneficiary = new Beneficiary("张三", "6222020000000001", "ICBC"),
        Status = status,
        Partner = "ycb",
        CreatedAt = DateTimeOffset.UnixEpoch,
    }, "client-a", 1, 1) { Fingerprint = "fp" };
}
