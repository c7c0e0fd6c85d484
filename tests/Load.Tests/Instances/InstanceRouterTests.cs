using LoadDriver.Api;
using LoadDriver.Payouts;

namespace Load.Tests.Instances;

public sealed class InstanceRouterTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Route_Duplicate_GoesToAnotherInstanceThanItsOriginal(int instances)
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("ordinary=1,duplicate=1"), 3, duplicateReach: 1).Plan("steady", 300);
        var duplicates = plan.Where(p => p.Kind == PayoutKind.Duplicate).ToList();

        Assert.NotEmpty(duplicates);
        Assert.All(duplicates, d =>
            Assert.NotEqual(InstanceRouter.Route(plan[d.DuplicateOf!.Value], instances), InstanceRouter.Route(d, instances)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Route_NonDuplicates_RoundRobinByIndex(int instances)
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("ordinary=1,duplicate=1"), 5).Plan("steady", 120);

        Assert.All(plan.Where(p => p.Kind != PayoutKind.Duplicate), p => Assert.Equal(p.Index % instances, InstanceRouter.Route(p, instances)));
        Assert.Equal(instances, plan.Select(p => InstanceRouter.Route(p, instances)).Distinct().Count());
    }

    [Fact]
    public void Route_OneInstance_AlwaysTheFirst()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("ordinary=1,duplicate=1"), 7).Plan("steady", 50);

        Assert.All(plan, p => Assert.Equal(0, InstanceRouter.Route(p, 1)));
    }

    [Fact]
    public void Plan_ReachOne_DuplicateRepeatsTheLatestPayout()
    {
        var plan = new PayoutPlanner("run", PayoutMix.Parse("ordinary=1,duplicate=1"), 9, duplicateReach: 1).Plan("steady", 200);

        Assert.All(plan.Where(p => p.Kind == PayoutKind.Duplicate), d =>
            Assert.Equal(plan.Take(d.Index).Last(p => p.Kind != PayoutKind.Duplicate).Index, d.DuplicateOf));
    }

    [Fact]
    public void Targets_ClientsMustBeNumberedInOrder()
    {
        using var first = new GatewayClient(new Uri("http://127.0.0.1:1"), "key", TimeSpan.FromSeconds(1), instance: 0);
        using var stray = new GatewayClient(new Uri("http://127.0.0.1:2"), "key", TimeSpan.FromSeconds(1), instance: 2);

        Assert.Throws<ArgumentException>(() => new GatewayTargets([first, stray]));
        Assert.Equal(2, new GatewayTargets([first, new GatewayClient(new Uri("http://127.0.0.1:3"), "key", TimeSpan.FromSeconds(1), instance: 1)]).Count);
    }
}
