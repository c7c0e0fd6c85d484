using Gateway.Diagnosis;
using Gateway.Ops;
using Gateway.Tests.Payouts;

namespace Gateway.Tests.Diagnosis;

/// <summary>Which partner each hop of a final payout counts for, and as what; and the rate over them.</summary>
public sealed class PartnerHopsTests
{
    private static readonly CauseCatalogue Catalogue = CauseCatalogue.Load(CauseCatalogue.DefaultPath);

    [Fact]
    public void FailedOverForMaintenance_ThenExecuted_IsAPartnerFailureAtTheFirstAndOkAtTheSecond()
    {
        var payout = Final("prb", null, Call("ycb", "rejected", Causes.PartnerMaintenance), Call("prb", "succeeded"));

        Assert.Equal([new PartnerHop("ycb", HopKind.Partner, Causes.PartnerMaintenance), new PartnerHop("prb", HopKind.Ok, null)],
            PartnerHops.Of(payout, Catalogue));
    }

    [Fact]
    public void FailedOverForABusinessReason_ThenFrozenAtTheNext_IsABusinessRejectionAtBoth()
    {
        var payout = Final("prb", "ACCOUNT_FROZEN", Call("ycb", "rejected"), Call("ycb", "inquiry", "BANK_NOT_SUPPORTED"), Call("prb", "rejected"));

        Assert.Equal([new PartnerHop("ycb", HopKind.Business, "BANK_NOT_SUPPORTED"), new PartnerHop("prb", HopKind.Business, "ACCOUNT_FROZEN")],
            PartnerHops.Of(payout, Catalogue));
    }

    [Theory]
    [InlineData("PARTNER_QUOTA_EXHAUSTED", HopKind.Partner)]
    [InlineData("PARTNER_UNSPECIFIED", HopKind.Partner)]
    [InlineData("PARTNER_AUTH_FAILED", HopKind.Partner)]
    [InlineData("SOME_CAUSE_NOT_IN_THE_CATALOGUE", HopKind.Partner)]
    [InlineData("RISK_DECLINED", HopKind.Business)]
    [InlineData("INSUFFICIENT_FUNDS", HopKind.Business)]
    [InlineData("REGULATORY_BLOCK", HopKind.Business)]
    [InlineData("CUTOFF_TIME", HopKind.Business)]
    public void KindOf_FollowsTheTaxonomy(string cause, string kind) => Assert.Equal(kind, PartnerHops.KindOf(cause, Catalogue));

    [Fact]
    public void NoRoute_AndProcessing_HaveNoHop()
    {
        Assert.Empty(PartnerHops.Of(Final("ycb", Causes.NoRoute), Catalogue));
        Assert.Empty(PartnerHops.Of(DecisionFixtures.Payout() with { Attempts = [Call("ycb", "timeout")] }, Catalogue));
    }

    [Fact]
    public void SuccessRate_CountsOnlyPartnerCausedOutcomes()
    {
        var ycb = new HopCounts(0, 0, 0).Add(HopKind.Ok, 3).Add(HopKind.Partner, 1).Add(HopKind.Business, 6);

        Assert.Equal(10, ycb.Attempts);
        Assert.Equal(0.75, ycb.SuccessRate);
        Assert.Null(new HopCounts(0, 0, 4).SuccessRate);
    }

    private static Attempt Call(string partner, string outcome, string? cause = null) =>
        new() { Partner = partner, At = DecisionFixtures.Created, ElapsedMs = 10, Outcome = outcome, Cause = cause };

    private static PayoutRecord Final(string partner, string? cause, params Attempt[] attempts) => DecisionFixtures.Payout(partner) with
    {
        Status = cause is null ? PayoutStatus.Succeeded : PayoutStatus.Failed,
        Attempts = attempts,
        Failure = cause is null ? null : new Failure
        {
            Category = Catalogue.Contains(cause) ? Catalogue[cause].Category : "partner_integration",
            Cause = cause, Owner = "borrower", Resubmit = "resubmit_after_fix", Summary = "s",
            BorrowerMessage = new Dictionary<string, string>(), Evidence = new Evidence { Attempts = 1, ElapsedMs = 1, Circuit = "closed" },
        },
    };
}
