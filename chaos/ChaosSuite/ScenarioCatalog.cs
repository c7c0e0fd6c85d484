using ChaosSuite.Scenarios;
using ChaosSuite.Scenarios.Partners;

namespace ChaosSuite;

/// <summary>Every registered scenario, in the order the suite lists them (chaos/README.md's scenarios table).</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IChaosScenario> All() =>
    [
        new PartnerDownScenario(),
        new PartnerSlowScenario(),
        new RedisKillScenario(),
        new RedisFreezeScenario(),
        new RedisLatencyScenario(),
        new RedisBlackholeScenario(),
        new RedisDataLostScenario(),
        new GatewayKillScenario(),
        new GatewayKillMultiScenario(),
        new GatewaySigtermScenario(),
        .. PartnerScenarios.All, // <partner>-{5xx-storm,429-storm,malformed,hang,latency,reset,blackhole,half-open}
        .. PartnerScenarios.Freezes, // <partner>-freeze: its simulator process SIGSTOPped (simulators out of process)
    ];
}
