using ChaosSuite;
using ChaosSuite.Scenarios;

namespace Load.Tests.Chaos;

/// <summary>How the chaos suite splits its scenarios into lanes that run side by side (<c>--lanes</c>, 3 in <c>--smoke</c>).</summary>
public sealed class LanesTests
{
    private static IChaosScenario[] Chosen() => [.. ScenarioCatalog.All().OrderBy(s => s.SharesDeployment)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Assign_EveryScenarioInExactlyOneLane(int lanes)
    {
        var chosen = Chosen();

        var assigned = Lanes.Assign(chosen, lanes);

        Assert.Equal(Math.Min(lanes, chosen.Length), assigned.Count);
        Assert.All(assigned, lane => Assert.NotEmpty(lane));
        Assert.Equal(chosen.Select(s => s.Name).Order(StringComparer.Ordinal), assigned.SelectMany(l => l).Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Assign_OneLane_TheGivenOrder()
    {
        var chosen = Chosen();

        Assert.Equal(chosen.Select(s => s.Name), Assert.Single(Lanes.Assign(chosen, 1)).Select(s => s.Name));
    }

    [Fact]
    public void Assign_WithinALane_OwnDeploymentsFirstThenTheSharedOnesTogether()
    {
        var chosen = Chosen();

        foreach (var lane in Lanes.Assign(chosen, 3))
        {
            // The given order is kept, so the shared scenarios follow each other and share the lane's deployment.
            Assert.Equal(lane.Select(s => Array.IndexOf(chosen, s)).Order(), lane.Select(s => Array.IndexOf(chosen, s)));
            Assert.Equal(lane.OrderBy(s => s.SharesDeployment).Select(s => s.Name), lane.Select(s => s.Name));
        }
    }

    [Fact]
    public void Assign_ThreeLanes_TheLanesCarryAboutTheSameWork()
    {
        // Own deployment weighs 2 (its start, drains up to a lease), a shared scenario 1: the heaviest lane at most 2 above the lightest.
        static int Work(IEnumerable<IChaosScenario> lane) => lane.Where(s => s.PendingReason is null).Sum(s => s.SharesDeployment ? 1 : 2);

        var works = Lanes.Assign(Chosen(), 3).Select(Work).ToList();

        Assert.True(works.Max() - works.Min() <= 2, string.Join(", ", works));
    }

    [Fact]
    public void Assign_NoLanes_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Lanes.Assign(Chosen(), 0));
}
