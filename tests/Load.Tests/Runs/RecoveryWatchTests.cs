using FsCheck.Xunit;
using LoadDriver.Api;
using LoadDriver.Payouts;
using LoadDriver.Runs;

namespace Load.Tests.Runs;

/// <summary>
/// How a run decides, from the answers as they come, that the outcomes have recovered after a fault, so its
/// after-fault load can stop: answers as expected over the evidence span, none otherwise after them.
/// </summary>
public sealed class RecoveryWatchTests
{
    private static readonly DateTimeOffset FaultEnd = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Evidence = TimeSpan.FromSeconds(3);

    private static readonly PlannedPayout AtYcb = new("steady", 1, PayoutKind.Ordinary, PayoutKind.Ordinary, "k1", "6222020200112233445", "10.00", "{}", null)
    {
        Expected = PayoutExpectation.SucceededAt("ycb"),
    };

    private static readonly PlannedPayout Frozen = AtYcb with { Kind = PayoutKind.Reject, OriginalKind = PayoutKind.Reject, Expected = PayoutExpectation.FailedWith("ACCOUNT_FROZEN", "ycb") };

    private static SubmitAnswer Answer(string? status, string? partner = "ycb", string? cause = null, int http = 201) =>
        new(http, "po_1", status, false, null, null, null, FaultEnd, FaultEnd) { Partner = partner, FailureCause = cause };

    private static void Note(RecoveryWatch watch, double secondsAfterFault, bool asExpected) =>
        watch.Answered(AtYcb, FaultEnd.AddSeconds(secondsAfterFault), asExpected ? Answer("succeeded") : Answer("succeeded", "prb"));

    [Fact]
    public void AsExpected_AFinalAnswer_JudgedOnStatusCauseAndPartner()
    {
        Assert.True(RecoveryWatch.AsExpected(AtYcb, Answer("succeeded")));
        Assert.False(RecoveryWatch.AsExpected(AtYcb, Answer("succeeded", "prb")));
        Assert.False(RecoveryWatch.AsExpected(AtYcb, Answer("failed", cause: "PARTNER_UNAVAILABLE")));
        Assert.True(RecoveryWatch.AsExpected(Frozen, Answer("failed", cause: "ACCOUNT_FROZEN")));
        Assert.False(RecoveryWatch.AsExpected(Frozen, Answer("failed", cause: "PARTNER_CIRCUIT_OPEN")));
    }

    [Fact]
    public void AsExpected_NoFinalAnswer_SaysNothing()
    {
        Assert.Null(RecoveryWatch.AsExpected(AtYcb, Answer("processing")));
        Assert.Null(RecoveryWatch.AsExpected(AtYcb, Answer(null, null, http: 503)));
        Assert.Null(RecoveryWatch.AsExpected(AtYcb, new SubmitAnswer(null, null, null, false, null, null, "ConnectionError", FaultEnd, FaultEnd)));
    }

    [Fact]
    public void Recovered_NothingAnswered_No() =>
        Assert.False(new RecoveryWatch().Recovered(FaultEnd, Evidence));

    [Fact]
    public void Recovered_AsExpectedOverTheEvidenceSpan_Yes()
    {
        var watch = new RecoveryWatch();
        for (var s = 0.0; s <= 3.0; s += 0.5)
        {
            Note(watch, s, asExpected: true);
        }

        Assert.True(watch.Recovered(FaultEnd, Evidence));
    }

    [Fact]
    public void Recovered_AsExpectedForLessThanTheSpan_NotYet()
    {
        var watch = new RecoveryWatch();
        Note(watch, 0.2, asExpected: true);
        Note(watch, 2.9, asExpected: true);

        Assert.False(watch.Recovered(FaultEnd, Evidence));
    }

    [Fact]
    public void Recovered_AnOutcomeOtherwise_TheSpanCountsFromIt()
    {
        // A breaker still open 4 s after the fault: routed payouts fail over until then.
        var watch = new RecoveryWatch();
        Note(watch, 0.5, asExpected: true);
        Note(watch, 4.0, asExpected: false);
        Note(watch, 6.5, asExpected: true);
        Assert.False(watch.Recovered(FaultEnd, Evidence));

        Note(watch, 7.0, asExpected: true);
        Assert.True(watch.Recovered(FaultEnd, Evidence));
    }

    [Fact]
    public void Recovered_AnAnswerOtherwiseArrivingLate_TakesTheRecoveryBack()
    {
        var watch = new RecoveryWatch();
        Note(watch, 0.5, asExpected: true);
        Note(watch, 3.5, asExpected: true);
        Assert.True(watch.Recovered(FaultEnd, Evidence));

        // A slow answer for a payout intended at 2 s shows it failed over.
        Note(watch, 2.0, asExpected: false);
        Assert.False(watch.Recovered(FaultEnd, Evidence));
    }

    [Fact]
    public void Recovered_OutcomesBeforeTheFaultEnded_DoNotCount()
    {
        var watch = new RecoveryWatch();
        Note(watch, -5, asExpected: true);
        Note(watch, -0.1, asExpected: false);
        Assert.False(watch.Recovered(FaultEnd, Evidence));

        Note(watch, 3.0, asExpected: true);
        Assert.True(watch.Recovered(FaultEnd, Evidence));
    }

    [Fact]
    public void Recovered_DuplicatesAreLeftOut()
    {
        // A duplicate's answer is its original's, submitted during the fault: it says nothing about the present.
        var watch = new RecoveryWatch();
        Note(watch, 0.1, asExpected: true);
        Note(watch, 3.5, asExpected: true);
        watch.Answered(AtYcb with { Kind = PayoutKind.Duplicate, DuplicateOf = 0 }, FaultEnd.AddSeconds(3.2), Answer("succeeded", "prb"));

        Assert.True(watch.Recovered(FaultEnd, Evidence));
    }

    [Property(MaxTest = 300)]
    public bool Recovered_Always_ASpanAsExpectedAfterTheLastOutcomeOtherwise(bool[] asExpected, byte[] tenths)
    {
        // Any answers in any order: recovered exactly when some answer as expected comes at least the span after the
        // last one otherwise (or after the fault's end).
        var watch = new RecoveryWatch();
        var notes = asExpected.Zip(tenths, (ok, t) => (ok, at: t / 10.0)).ToList();
        foreach (var (ok, at) in notes)
        {
            Note(watch, at, ok);
        }

        var lastWrong = notes.Where(n => !n.ok).Select(n => n.at).DefaultIfEmpty(0).Max();
        var expected = notes.Any(n => n.ok && n.at - lastWrong >= Evidence.TotalSeconds - 1e-9);
        return watch.Recovered(FaultEnd, Evidence) == expected;
    }
}
