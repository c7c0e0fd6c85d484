using ChaosSuite.Scenarios;

namespace ChaosSuite;

/// <summary>
/// Splits the chosen scenarios into lanes that run side by side, each on deployments of its own (its own
/// redis-server, simulators, fault proxies and gateways on their own loopback ports), so one lane's fault never
/// reaches another's payouts. A scenario's time is mostly waiting on the clock (steady phase, breaker pauses), not
/// CPU: at 20/s a lane uses a small part of a core, so lanes shorten the wall time on a 2-core machine.
/// </summary>
internal static class Lanes
{
    /// <summary>
    /// Each scenario in exactly one lane: the longest first, each to the least-loaded lane (a scenario with its own
    /// deployment weighs 2, one on the lane's shared deployment 1, its deployment started once per lane). Within a lane
    /// the order of <paramref name="scenarios"/> is kept, so the shared ones still follow each other and share.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<IChaosScenario>> Assign(IReadOnlyList<IChaosScenario> scenarios, int lanes)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        var load = new int[lanes];
        var chosen = new List<int>[lanes];
        for (var lane = 0; lane < lanes; lane++)
        {
            chosen[lane] = [];
        }

        var byWeight = Enumerable.Range(0, scenarios.Count).OrderByDescending(i => Weight(scenarios[i])).ThenBy(i => i);
        foreach (var index in byWeight)
        {
            var lane = Array.IndexOf(load, load.Min());
            chosen[lane].Add(index);
            load[lane] += Weight(scenarios[index]);
        }

        return [.. chosen.Where(c => c.Count > 0).Select(c => (IReadOnlyList<IChaosScenario>)[.. c.Order().Select(i => scenarios[i])])];
    }

    private static int Weight(IChaosScenario scenario) => scenario.PendingReason is not null ? 0 : scenario.SharesDeployment ? 1 : 2;
}
