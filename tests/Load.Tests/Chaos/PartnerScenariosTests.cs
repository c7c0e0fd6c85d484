using System.Text.Json;
using ChaosSuite.Scenarios.Partners;
using LoadDriver.Payouts;
using Orchestration;

namespace Load.Tests.Chaos;

/// <summary>
/// The partner scenarios of issue 13 (chaos/ChaosSuite/Scenarios/Partners), as the chaos suite registers
/// them: each one declares "not executed" causes the gateway knows and a grace covering the breaker pause.
/// No processes.
/// </summary>
public sealed class PartnerScenariosTests
{
    /// <summary>The load suite's breaker pause (DeploymentOptions.Overlay).</summary>
    private static readonly TimeSpan BreakerPause = TimeSpan.FromSeconds(5);

    [Fact]
    public void All_EightFaultsForEachPartner_UniqueNames()
    {
        var names = PartnerScenarios.All.Select(s => s.Name).ToList();

        Assert.Equal(24, names.Count);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        foreach (var partner in PartnerScenarios.Partners)
        {
            foreach (var suffix in new[] { "5xx-storm", "429-storm", "malformed", "hang", "latency", "reset", "blackhole", "half-open" })
            {
                Assert.Contains($"{partner}-{suffix}", names);
            }
        }
    }

    [Fact]
    public void All_DeclareKnownNotExecutedCausesAndAGrace()
    {
        var known = KnownCauses();
        foreach (var scenario in PartnerScenarios.All)
        {
            Assert.NotEmpty(scenario.MayCause);
            Assert.All(scenario.MayCause, cause => Assert.Contains(cause, known));
            // A declared cause must mean "not executed": connectivity or routing, never a decision of the bank's.
            Assert.All(scenario.MayCause, cause => Assert.True(
                cause is "PARTNER_UNAVAILABLE" or "PARTNER_RATE_LIMITED" or "PARTNER_MALFORMED_RESPONSE" or "PARTNER_TIMEOUT"
                    or "PARTNER_CIRCUIT_OPEN" or "NO_ROUTE",
                $"{scenario.Name} declares {cause}"));
            Assert.True(scenario.Grace > BreakerPause, $"{scenario.Name}: grace {scenario.Grace} does not cover the breaker pause");
            Assert.Null(scenario.PendingReason);
        }
    }

    [Fact]
    public void All_TheirFaultsOwnCause()
    {
        Assert.All(PartnerScenarios.All.Where(s => s.Name.EndsWith("-5xx-storm", StringComparison.Ordinal)), s => Assert.Contains("PARTNER_UNAVAILABLE", s.MayCause));
        Assert.All(PartnerScenarios.All.Where(s => s.Name.EndsWith("-429-storm", StringComparison.Ordinal)), s => Assert.Contains("PARTNER_RATE_LIMITED", s.MayCause));
        Assert.All(PartnerScenarios.All.Where(s => s.Name.EndsWith("-malformed", StringComparison.Ordinal)), s => Assert.Contains("PARTNER_MALFORMED_RESPONSE", s.MayCause));
        Assert.All(PartnerScenarios.All.Where(s => s.Name.EndsWith("-hang", StringComparison.Ordinal)), s => Assert.Contains("PARTNER_TIMEOUT", s.MayCause));
        Assert.All(PartnerScenarios.All.Where(s => s.Name.EndsWith("-reset", StringComparison.Ordinal)), s => Assert.Contains("PARTNER_UNAVAILABLE", s.MayCause));
    }

    [Fact]
    public void All_NetworkFaultsNeedProxies_SuggestedMixesNameThePartner()
    {
        foreach (var scenario in PartnerScenarios.All)
        {
            Assert.Equal(scenario is PartnerNetworkScenario, scenario.NeedsPartnerProxies);
            var mix = PayoutMix.Parse(scenario.SuggestedMix!);
            var named = mix.Entries.Where(e => e.Partner == scenario.Partner).Sum(e => e.Weight);
            Assert.True(named * 2 > mix.Total, $"{scenario.Name}: {scenario.SuggestedMix}");
            Assert.Contains(mix.Entries, e => e.Kind == PayoutKind.Ordinary && e.Partner is null);
            Assert.Contains(mix.Entries, e => e.Kind == PayoutKind.Failover);
        }
    }

    private static HashSet<string> KnownCauses()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root(), "src", "Gateway", "Diagnosis", "causes.json")));
        return document.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }
}
