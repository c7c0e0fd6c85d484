using Gateway.Hosting;
using Gateway.Payouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Tests.Payouts;

/// <summary>A claim whose reply timed out: the answer never says more than one read after it proves.</summary>
public sealed class UnknownClaimTests
{
    private const string Own = "host/1/abc|1";
    private const string Claim = "c1";

    [Fact]
    public void Decide_OwnClaimCommitted_ContinuesTheExecution() =>
        Assert.Equal(UnknownClaimStep.Continue, UnknownClaim.Decide(true, Stored(), Own, "fp", Own, Claim));

    [Fact]
    public void Decide_RecordUnreadable_IsOutcomeUnknown() =>
        Assert.Equal(UnknownClaimStep.OutcomeUnknown, UnknownClaim.Decide(false, null, null, "fp", Own, Claim));

    [Fact]
    public void Decide_NoRecordYet_IsOutcomeUnknownNotNotSent() =>
        Assert.Equal(UnknownClaimStep.OutcomeUnknown, UnknownClaim.Decide(true, null, null, "fp", Own, Claim));

    [Fact]
    public void Decide_AnotherRequestsClaim_IsInFlightOrReplayOrMismatch()
    {
        Assert.Equal(UnknownClaimStep.InFlight, UnknownClaim.Decide(true, Stored(), "other/2/def|1", "fp", Own, Claim));
        Assert.Equal(UnknownClaimStep.InFlight, UnknownClaim.Decide(true, Stored() with { Fence = 2 }, Own, "fp", Own, Claim));
        Assert.Equal(UnknownClaimStep.Replay, UnknownClaim.Decide(true, Stored(PayoutStatus.Succeeded), null, "fp", Own, Claim));
        Assert.Equal(UnknownClaimStep.Mismatch, UnknownClaim.Decide(true, Stored(), Own, "other-body", Own, Claim));
    }

    [Fact]
    public void Decide_ADuplicateOnTheSameInstanceWhoseClaimCommitted_IsInFlightNotOurs()
    {
        // Same key, same body, same instance, so the same lease value: only the claim id says whose claim committed.
        // Both claims' replies timed out (Redis paused); the one that did not commit must not answer 201 as well.
        Assert.Equal(UnknownClaimStep.InFlight, UnknownClaim.Decide(true, Stored(), Own, "fp", Own, "c2"));
        Assert.Equal(UnknownClaimStep.Continue, UnknownClaim.Decide(true, Stored(), Own, "fp", Own, Claim));
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
        Claim = Claim,
    }, "client-a", 1, 1) { Fingerprint = "fp" };
}
