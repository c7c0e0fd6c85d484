using ChaosSuite;
using ChaosSuite.Scenarios;
using ChaosSuite.Scenarios.Partners;
using LoadDriver.Deployment;
using LoadDriver.Payouts;

namespace Load.Tests.Chaos;

/// <summary>What lets consecutive chaos scenarios share one deployment, and the mix each scenario runs with.</summary>
public sealed class ScenarioSharingTests
{
    private static ChaosArguments Arguments(params string[] args) =>
        ChaosArguments.Read(args, TextWriter.Null, TextWriter.Null, out _) ?? throw new InvalidOperationException("usage error");

    [Fact]
    public void For_PartnerScenarioWithoutMix_RunsItsSuggestedMix()
    {
        var scenario = PartnerScenarios.All.First(s => s.Partner == "prb");

        var (options, label) = ScenarioMix.For(scenario, Arguments("--smoke"));

        Assert.Equal(PayoutMix.Parse(scenario.SuggestedMix!).ToString(), options.Mix.ToString());
        Assert.Contains(scenario.SuggestedMix!, label, StringComparison.Ordinal);
    }

    [Fact]
    public void SuggestedMixes_NoKindWhoseAnswerIsAPartnerFaultByDesign()
    {
        // A slow or drop payout as a breaker's trial call after the fault re-opens it for another pause: recovery would
        // depend on the mix's luck (a smoke run once recovered at 16 s, over the 15 s bound, after two such trials).
        var suggesting = ScenarioCatalog.All().Where(s => s.SuggestedMix is not null).ToList();
        Assert.Contains(suggesting, s => s.Name == "partner-down");
        Assert.All(suggesting, scenario => Assert.DoesNotContain(PayoutMix.Parse(scenario.SuggestedMix!).Entries,
            e => e.Kind is PayoutKind.Slow or PayoutKind.Drop));
    }

    [Fact]
    public void RedisFreeze_LongerThanTheRedisTimeout_DuplicatesOfTheLatestPayout()
    {
        // Claims must time out while Redis is frozen (the gateway's timeout is 3 s), with a duplicate queued behind its
        // original: the case that once answered 201 twice (chaos/README.md, Findings 4). The smoke's 2 s fault is lengthened.
        var freeze = new RedisFreezeScenario();
        var smoke = Arguments("--smoke");

        Assert.Equal(TimeSpan.FromSeconds(4), freeze.Timing(new FaultTiming(smoke.FaultAfter, smoke.FaultFor)).For);
        Assert.Equal(TimeSpan.FromSeconds(6), freeze.Timing(new FaultTiming(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6))).For);
        Assert.Equal(1, freeze.Load(smoke.Options).DuplicateReach);
        var mix = PayoutMix.Parse(freeze.SuggestedMix);
        Assert.True(mix.WeightOf(PayoutKind.Duplicate) * 4 >= mix.Total, mix.ToString());
    }

    [Fact]
    public void For_MixGiven_EveryScenarioRunsIt()
    {
        var arguments = Arguments("--smoke", "--mix", "ordinary=1");

        foreach (var scenario in new IChaosScenario[] { PartnerScenarios.All[0], new RedisKillScenario() })
        {
            var (options, label) = ScenarioMix.For(scenario, arguments);
            Assert.Equal(PayoutMix.Parse("ordinary=1").ToString(), options.Mix.ToString());
            Assert.Equal("--mix ordinary=1", label);
        }
    }

    [Fact]
    public void For_OtherScenarioWithoutMix_RunsTheDefault()
    {
        var (options, label) = ScenarioMix.For(new RedisKillScenario(), Arguments("--smoke"));

        Assert.Equal(PayoutMix.Default.ToString(), options.Mix.ToString());
        Assert.Equal(ScenarioMix.DefaultLabel, label);
    }

    [Fact]
    public void For_EachScenario_ItsOwnRunId()
    {
        // Scenarios on a shared deployment (one Redis) must never reuse each other's idempotency keys.
        var arguments = Arguments("--smoke");
        var ids = PartnerScenarios.All.Select(s => ScenarioMix.For(s, arguments).Options.RunId).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(arguments.Options.RunId, ids);
    }

    [Fact]
    public void SameShape_EqualSettingsInOtherDictionaries_Shared_DifferentInstancesOrSettings_NotShared()
    {
        var a = new DeploymentOptions { GatewayDll = "g.dll", PartnerProxies = true, Settings = new Dictionary<string, string> { ["K"] = "1" } };
        var b = new DeploymentOptions { GatewayDll = "g.dll", PartnerProxies = true, Settings = new Dictionary<string, string> { ["K"] = "1" } };

        Assert.True(SharedDeployment.SameShape(a, b));
        Assert.False(SharedDeployment.SameShape(a, b with { Instances = 2 }));
        Assert.False(SharedDeployment.SameShape(a, b with { PartnerProxies = false }));
        Assert.False(SharedDeployment.SameShape(a, b with { Settings = new Dictionary<string, string> { ["K"] = "2" } }));
    }

    [Fact]
    public void SharesDeployment_PartnerScenariosDo_RedisAndGatewayScenariosDoNot()
    {
        Assert.All(PartnerScenarios.All, s => Assert.True(((IChaosScenario)s).SharesDeployment, s.Name));
        Assert.True(((IChaosScenario)new PartnerDownScenario()).SharesDeployment);
        Assert.True(((IChaosScenario)new PartnerSlowScenario()).SharesDeployment);
        Assert.False(((IChaosScenario)new RedisKillScenario()).SharesDeployment);
        Assert.False(((IChaosScenario)new GatewayKillScenario()).SharesDeployment);
        Assert.False(((IChaosScenario)new RedisLatencyScenario()).SharesDeployment);
    }
}
