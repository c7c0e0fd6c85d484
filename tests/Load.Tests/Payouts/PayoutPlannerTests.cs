using LoadDriver.Payouts;

namespace Load.Tests.Payouts;

public sealed class PayoutPlannerTests
{
    [Fact]
    public void Plan_SameSeed_SamePayouts()
    {
        var a = new PayoutPlanner("run", PayoutMix.Default, 7).Plan("steady", 200);
        var b = new PayoutPlanner("run", PayoutMix.Default, 7).Plan("steady", 200);

        Assert.Equal(a, b);
    }

    [Fact]
    public void Plan_Duplicate_RepeatsAnEarlierKeyAndBodyExactly()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("ordinary=1,duplicate=1"), 3).Plan("steady", 100);
        var duplicates = plan.Where(p => p.Kind == PayoutKind.Duplicate).ToList();

        Assert.NotEmpty(duplicates);
        Assert.All(duplicates, d =>
        {
            var original = plan[d.DuplicateOf!.Value];
            Assert.True(original.Index < d.Index);
            Assert.Equal(original.Key, d.Key);
            Assert.Equal(original.Body, d.Body);
        });
        Assert.Equal(plan.Count - duplicates.Count, plan.Select(p => p.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("ordinary=80,bogus=5")]
    [InlineData("ordinary")]
    [InlineData("duplicate=5")]
    [InlineData("ordinary=-1")]
    [InlineData("1=5")]
    public void Parse_InvalidMix_Refused(string mix) => Assert.Throws<FormatException>(() => PayoutMix.Parse(mix));

    [Fact]
    public void Plan_Kinds_UseTheSimulatorsMagicAccounts()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("ordinary=1,reject=1,slow=1,drop=1"), 5).Plan("steady", 200);

        Assert.All(plan.Where(p => p.Kind == PayoutKind.Slow), p => Assert.Equal("629900000000000001", p.AccountNumber));
        Assert.All(plan.Where(p => p.Kind == PayoutKind.Drop), p => Assert.Equal("629900000000000002", p.AccountNumber));
        Assert.All(plan.Where(p => p.Kind == PayoutKind.Reject), p => Assert.StartsWith("6299", p.AccountNumber, StringComparison.Ordinal));
        Assert.All(plan.Where(p => p.Kind == PayoutKind.Ordinary), p => Assert.StartsWith("6222", p.AccountNumber, StringComparison.Ordinal));
        Assert.Equal(plan.Count(p => p.Kind == PayoutKind.Ordinary), plan.Where(p => p.Kind == PayoutKind.Ordinary).Select(p => p.AccountNumber).Distinct().Count());
    }

    [Fact]
    public void Plan_Rejects_CarryTheCauseTheirPartnerGivesTheirMagicAccount()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("reject=1,reject@prb=1,reject@silkpay=1"), 9).Plan("steady", 300);

        Assert.All(plan, p =>
        {
            var partner = p.Partner ?? PartnerNames.Ycb;
            Assert.Equal(PayoutExpectation.Failed, p.Expected.Status);
            Assert.Equal(partner, p.Expected.Partner);
            Assert.Contains((p.AccountNumber[^4..], p.Expected.Cause!), MagicAccounts.Rejections[partner]);
        });
        Assert.Equal(12, plan.Select(p => (p.Partner, p.AccountNumber)).Distinct().Count());
    }

    [Fact]
    public void Plan_NamedPartner_InTheBody_RoutedNot()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("ordinary@silkpay=1,ordinary=1"), 2).Plan("steady", 50);

        Assert.All(plan.Where(p => p.Partner == "silkpay"), p => Assert.Contains("\"partner\":\"silkpay\"", p.Body, StringComparison.Ordinal));
        Assert.All(plan.Where(p => p.Partner is null), p => Assert.DoesNotContain("\"partner\"", p.Body, StringComparison.Ordinal));
        Assert.All(plan.Where(p => p.Partner is null), p => Assert.Equal(PayoutExpectation.SucceededAt("ycb"), p.Expected));
    }

    [Fact]
    public void Plan_Failover_RoutedToTheSecondPartnerOfTheRoutingOrder()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("failover=1"), 2).Plan("steady", 10);
        var reordered = new PayoutPlanner("run", PayoutMix.Parse("failover=1"), 2, routingOrder: ["ycb", "silkpay", "prb"]).Plan("steady", 10);

        Assert.All(plan, p => Assert.Equal((MagicAccounts.Failover, (string?)null, PayoutExpectation.SucceededAt("prb")), (p.AccountNumber, p.Partner, p.Expected)));
        Assert.All(reordered, p => Assert.Equal(PayoutExpectation.SucceededAt("silkpay"), p.Expected));
    }

    [Fact]
    public void Plan_Duplicate_KeepsItsOriginalsExpectation()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("reject@prb=1,duplicate=1"), 4).Plan("steady", 100);

        Assert.All(plan.Where(p => p.Kind == PayoutKind.Duplicate), d =>
        {
            Assert.Equal(plan[d.DuplicateOf!.Value].Expected, d.Expected);
            Assert.Equal("reject@prb", d.Label);
        });
    }
}
