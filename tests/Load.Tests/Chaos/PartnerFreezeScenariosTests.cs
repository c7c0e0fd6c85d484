using ChaosSuite.Scenarios.Partners;
using LoadDriver.Deployment;

namespace Load.Tests.Chaos;

/// <summary>
/// The <c>&lt;partner&gt;-freeze</c> scenarios: one per partner, each on a deployment with the simulators out of
/// process (so its partner can be SIGSTOPped alone), declaring only "not executed" causes of a partner that does
/// not answer and a grace covering the breaker pause. No processes.
/// </summary>
public sealed class PartnerFreezeScenariosTests
{
    [Fact]
    public void Freezes_OnePerPartner_OutOfProcessSimulators()
    {
        Assert.Equal(PartnerScenarios.Partners.Select(p => $"{p}-freeze"), PartnerScenarios.Freezes.Select(s => s.Name));
        foreach (var scenario in PartnerScenarios.Freezes)
        {
            var options = scenario.Deployment(new DeploymentOptions { GatewayDll = "Gateway.dll" });
            Assert.True(options.SimulatorsOutOfProcess, scenario.Name);
            Assert.False(scenario.NeedsPartnerProxies);
            Assert.Null(scenario.PendingReason);
        }
    }

    [Fact]
    public void Freezes_DeclareTimeoutBreakerAndNoRoute_GraceCoversTheBreakerPause()
    {
        foreach (var scenario in PartnerScenarios.Freezes)
        {
            Assert.Equal(new HashSet<string> { "PARTNER_TIMEOUT", "PARTNER_CIRCUIT_OPEN", "NO_ROUTE" }, scenario.MayCause);
            Assert.True(scenario.Grace > TimeSpan.FromSeconds(5), scenario.Name);
            Assert.DoesNotContain(scenario.Name, PartnerScenarios.All.Select(s => s.Name));
        }
    }
}
