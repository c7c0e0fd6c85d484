using FsCheck;
using FsCheck.Fluent;
using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Payouts;

namespace Load.Tests.Checks;

/// <summary>Final outcomes judged against each payout's expectation and the run's declared fault windows.</summary>
public sealed class OutcomeVerdictsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static readonly FaultWindow YcbDown = new("ycb down", T0.AddSeconds(10), T0.AddSeconds(20),
        new HashSet<string>(StringComparer.Ordinal) { "PARTNER_UNAVAILABLE", "PARTNER_CIRCUIT_OPEN" }, TimeSpan.FromSeconds(2));

    [Fact]
    public void Check_EveryPayoutAsExpected_Holds()
    {
        var check = OutcomeVerdicts.Check(
            [Ordinary("po_1", 1, "succeeded", null, "ycb"), Reject("po_2", 2, "ACCOUNT_FROZEN", "ACCOUNT_FROZEN")], []);

        Assert.True(check.Passed, check.Detail);
        Assert.Equal("held for 2", check.Detail);
    }

    [Fact]
    public void Check_OrdinaryFailedWithoutAFault_FailsNamingPayoutKindExpectedAndGot()
    {
        var check = OutcomeVerdicts.Check([Ordinary("po_1", 1, "failed", "PARTNER_RATE_LIMITED", "ycb"), Ordinary("po_2", 2, "succeeded", null, "ycb")], []);

        Assert.False(check.Passed);
        Assert.Equal("1 of 2 violate it; unexpected by kind: ordinary 1", check.Detail);
        Assert.Equal(["po_1 (ordinary): expected succeeded at ycb, got failed PARTNER_RATE_LIMITED at ycb"], check.Examples);
    }

    [Theory]
    [InlineData("ACCOUNT_NAME_MISMATCH", "failed")]
    [InlineData(null, "succeeded")]
    public void Check_RejectEndingOtherwise_Fails(string? cause, string status)
    {
        var payout = Reject("po_1", 1, "ACCOUNT_FROZEN", cause) with { Payout = View("po_1", status, cause, "ycb") };

        Assert.False(OutcomeVerdicts.Check([payout], []).Passed);
    }

    [Fact]
    public void Check_SucceededAtAnotherPartnerThanNamed_Fails() =>
        Assert.False(OutcomeVerdicts.Check([Ordinary("po_1", 1, "succeeded", null, "prb", expectedPartner: "silkpay")], []).Passed);

    [Fact]
    public void Check_NotFinal_LeftToTheFinalityCheck()
    {
        var check = OutcomeVerdicts.Check([Ordinary("po_1", 1, "processing", null, "ycb"), Ordinary("po_2", 1, "succeeded", null, "ycb") with { Payout = null }], []);

        Assert.True(check.Passed);
        Assert.Equal("held for 0", check.Detail);
    }

    [Theory]
    [InlineData(10, "PARTNER_UNAVAILABLE", OutcomeVerdict.Explained)]
    [InlineData(21.9, "PARTNER_CIRCUIT_OPEN", OutcomeVerdict.Explained)]
    [InlineData(22.1, "PARTNER_CIRCUIT_OPEN", OutcomeVerdict.Unexpected)]
    [InlineData(9.9, "PARTNER_UNAVAILABLE", OutcomeVerdict.Unexpected)]
    [InlineData(15, "PARTNER_TIMEOUT", OutcomeVerdict.Unexpected)]
    public void Judge_FailureInAWindow_ExplainedOnlyInsideItWithItsCauses(double submittedAfter, string cause, OutcomeVerdict expected) =>
        Assert.Equal(expected, OutcomeVerdicts.Judge(Ordinary("po_1", submittedAfter, "failed", cause, "ycb"), [YcbDown]));

    [Fact]
    public void Judge_FailoverToAnotherPartnerInAWindow_ExplainedUnlessTheWindowSaysNot()
    {
        var failedOver = Ordinary("po_1", 12, "succeeded", null, "prb");

        Assert.Equal(OutcomeVerdict.Explained, OutcomeVerdicts.Judge(failedOver, [YcbDown]));
        Assert.Equal(OutcomeVerdict.Unexpected, OutcomeVerdicts.Judge(failedOver, [YcbDown with { MayFailOver = false }]));
    }

    [Fact]
    public void Check_ExplainedPayouts_CountedInTheDetail()
    {
        var check = OutcomeVerdicts.Check([Ordinary("po_1", 12, "failed", "PARTNER_UNAVAILABLE", "ycb"), Ordinary("po_2", 30, "succeeded", null, "ycb")], [YcbDown]);

        Assert.True(check.Passed);
        Assert.Equal("held for 2; 1 explained by declared faults", check.Detail);
    }

    [Fact]
    public void Accuracy_RejectsAndFaultFailures_ShareDiagnosedWithTheKnownCause()
    {
        var accuracy = OutcomeVerdicts.Accuracy(
        [
            Reject("po_1", 1, "ACCOUNT_FROZEN", "ACCOUNT_FROZEN"),
            Reject("po_2", 2, "RISK_DECLINED", "PARTNER_UNSPECIFIED"),
            Ordinary("po_3", 12, "failed", "PARTNER_UNAVAILABLE", "ycb"),
            Ordinary("po_4", 13, "failed", "PARTNER_UNKNOWN_CODE", "ycb"),
            Ordinary("po_5", 14, "succeeded", null, "ycb"),
            Ordinary("po_6", 40, "failed", "PARTNER_TIMEOUT", "ycb"),
            Ordinary("po_7", 15, "succeeded", null, "prb"),
        ], [YcbDown]);

        Assert.Equal((4, 2), (accuracy.Known, accuracy.Correct));
        Assert.Equal(0.5, accuracy.Share);
        Assert.Equal(2, accuracy.Misdiagnosed.Count);
        Assert.StartsWith("po_2 (reject): expected failed RISK_DECLINED at ycb, got failed PARTNER_UNSPECIFIED", accuracy.Misdiagnosed[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Accuracy_NoKnownCause_HasNoShare()
    {
        var accuracy = OutcomeVerdicts.Accuracy([Ordinary("po_1", 1, "succeeded", null, "ycb")], []);

        Assert.Null(accuracy.Share);
        Assert.Equal("n/a (no known causes)", accuracy.ToString());
    }

    [Fact]
    public void RecoveryTime_FirstWholeSecondAfterWhichEverythingIsAsExpected()
    {
        var end = T0.AddSeconds(20);
        var payouts = new[]
        {
            Ordinary("po_0", 19, "failed", "PARTNER_UNAVAILABLE", "ycb"),
            Ordinary("po_1", 20.2, "failed", "PARTNER_CIRCUIT_OPEN", "ycb"),
            Ordinary("po_2", 21.0, "succeeded", null, "ycb"),
            Ordinary("po_3", 23.4, "succeeded", null, "prb"),
            Ordinary("po_4", 23.9, "succeeded", null, "ycb"),
            Ordinary("po_5", 25, "succeeded", null, "ycb"),
        };

        Assert.Equal(TimeSpan.FromSeconds(4), OutcomeVerdicts.RecoveryTime(payouts, end));
    }

    [Fact]
    public void RecoveryTime_AllAsExpectedAfterTheEnd_Zero() =>
        Assert.Equal(TimeSpan.Zero, OutcomeVerdicts.RecoveryTime([Ordinary("po_0", 19, "failed", "PARTNER_UNAVAILABLE", "ycb"), Ordinary("po_1", 20, "succeeded", null, "ycb")], T0.AddSeconds(20)));

    [Fact]
    public void RecoveryTime_StillWrongAtTheLastPayoutOrNoPayoutsAfter_Null()
    {
        Assert.Null(OutcomeVerdicts.RecoveryTime([Ordinary("po_1", 21, "succeeded", null, "ycb"), Ordinary("po_2", 22, "processing", null, "ycb")], T0.AddSeconds(20)));
        Assert.Null(OutcomeVerdicts.RecoveryTime([Ordinary("po_1", 19, "succeeded", null, "ycb")], T0.AddSeconds(20)));
    }

    /// <summary>Whatever the outcomes, every payout submitted at or after end + recovery ended as expected, and none earlier in the last whole second before it failed to (minimality).</summary>
    [FsCheck.Xunit.Property]
    public Property RecoveryTime_IsTheSmallestWholeSecondAfterWhichAllAreAsExpected() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Choose(0, 20_000), Gen.Elements(true, false))).ToArbitrary(), outcomes =>
        {
            var end = T0.AddSeconds(20);
            var payouts = outcomes.Select((o, i) => Ordinary($"po_{i}", 20 + (o.Item1 / 1000.0), o.Item2 ? "succeeded" : "failed", o.Item2 ? null : "PARTNER_UNAVAILABLE", "ycb")).ToList();
            var recovery = OutcomeVerdicts.RecoveryTime(payouts, end);
            var bad = payouts.Where(p => !p.EndedAsExpected).ToList();
            if (recovery is not { } r)
            {
                return payouts.Count == 0 || (bad.Count > 0 && payouts.Max(p => p.SubmittedAt) == bad.Max(p => p.SubmittedAt));
            }

            return r.Ticks % TimeSpan.TicksPerSecond == 0
                && bad.All(p => p.SubmittedAt < end + r)
                && (r == TimeSpan.Zero || bad.Any(p => p.SubmittedAt >= end + r - TimeSpan.FromSeconds(1)));
        });

    private static ResolvedPayout Ordinary(string id, double submittedAfter, string status, string? cause, string partner, string expectedPartner = "ycb") =>
        new(id, PayoutKind.Ordinary, [], [], id, View(id, status, cause, partner))
        {
            Expected = PayoutExpectation.SucceededAt(expectedPartner),
            Label = "ordinary",
            SubmittedAt = T0.AddSeconds(submittedAfter),
        };

    private static ResolvedPayout Reject(string id, double submittedAfter, string expectedCause, string? cause) =>
        new(id, PayoutKind.Reject, [], [], id, View(id, "failed", cause, "ycb"))
        {
            Expected = PayoutExpectation.FailedWith(expectedCause, "ycb"),
            Label = "reject",
            SubmittedAt = T0.AddSeconds(submittedAfter),
        };

    private static PayoutView View(string id, string status, string? cause, string partner) =>
        new(id, status, cause, 1, "answered", T0, partner, cause is null ? null : "x", T0, status is "succeeded" or "failed" ? T0.AddSeconds(30) : null);
}
