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
}
