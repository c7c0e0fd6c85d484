using ChaosSuite;

namespace Load.Tests.Chaos;

/// <summary>The chaos suite's <c>--smoke</c> mode: short defaults, flags given still win.</summary>
public sealed class ChaosSmokeArgumentsTests
{
    [Fact]
    public void Read_Smoke_TheShortDefaults()
    {
        var arguments = ChaosArguments.Read(["--smoke"], TextWriter.Null, TextWriter.Null, out var exitCode);

        Assert.Equal(0, exitCode);
        Assert.True(arguments!.Smoke);
        Assert.Equal(ChaosArguments.SmokeDefaults.Rate, arguments.Options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(ChaosArguments.SmokeDefaults.Duration), arguments.Options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(ChaosArguments.SmokeDefaults.Warmup), arguments.Options.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(ChaosArguments.SmokeDefaults.DrainTimeout), arguments.Options.ResolveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(ChaosArguments.SmokeDefaults.FaultAfter), arguments.FaultAfter);
        Assert.Equal(TimeSpan.FromSeconds(ChaosArguments.SmokeDefaults.FaultFor), arguments.FaultFor);
        Assert.Equal(ChaosArguments.SmokeDefaults.Lanes, arguments.Lanes);
        Assert.Empty(arguments.Scenarios);
        Assert.Null(arguments.Mix);
    }

    [Fact]
    public void SmokeDefaults_AScenarioThatRecoversAtOnceShowsItWithinTheSteadyPhase()
    {
        var afterFault = ChaosArguments.SmokeDefaults.Duration - ChaosArguments.SmokeDefaults.FaultAfter - ChaosArguments.SmokeDefaults.FaultFor;
        Assert.True(TimeSpan.FromSeconds(afterFault) > ChaosArguments.RecoveryEvidence, $"{afterFault} s after the fault, evidence {ChaosArguments.RecoveryEvidence}");
    }

    [Fact]
    public void AwaitRecovery_LongEnoughToSeeARecoveryThatTakesTheWholeBound()
    {
        // A breaker re-opened by a failed trial call: recovery after two 5 s pauses is within the 15 s bound, and the
        // load must go on long enough to see it (a verdict of "never" would be wrong).
        var pause = TimeSpan.Parse(LoadDriver.Deployment.DeploymentOptions.Overlay["Partners__ycb__Breaker__BreakDuration"], System.Globalization.CultureInfo.InvariantCulture);
        var bound = TimeSpan.FromSeconds(15);
        var wait = ChaosArguments.AwaitRecovery(bound);

        Assert.True(wait > bound + ChaosArguments.RecoveryEvidence, $"waits {wait} for bound {bound}");
        Assert.True(wait > 2 * pause + ChaosArguments.RecoveryEvidence, $"waits {wait}, breaker pause {pause}");
        Assert.True(wait <= LoadDriver.Runs.LoadOptions.MaxAfterFault, $"waits {wait}, at most {LoadDriver.Runs.LoadOptions.MaxAfterFault} of after-fault load");
    }

    [Fact]
    public void Read_SmokeWithAFlag_TheFlagWins()
    {
        var arguments = ChaosArguments.Read(["--smoke", "--duration", "12", "--fault-for", "3"], TextWriter.Null, TextWriter.Null, out _);

        Assert.Equal(TimeSpan.FromSeconds(12), arguments!.Options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(3), arguments.FaultFor);
    }

    [Fact]
    public void Read_SmokeWithLanes_TheLanesGiven() =>
        Assert.Equal(1, ChaosArguments.Read(["--smoke", "--lanes", "1"], TextWriter.Null, TextWriter.Null, out _)!.Lanes);

    [Fact]
    public void Read_NoSmoke_OneLane() =>
        Assert.Equal(1, ChaosArguments.Read([], TextWriter.Null, TextWriter.Null, out _)!.Lanes);

    [Fact]
    public void Read_NoLanes_AUsageError()
    {
        Assert.Null(ChaosArguments.Read(["--lanes", "0"], TextWriter.Null, TextWriter.Null, out var exitCode));
        Assert.Equal(2, exitCode);
    }

    [Fact]
    public void Read_NoSmoke_NotSmoke() =>
        Assert.False(ChaosArguments.Read([], TextWriter.Null, TextWriter.Null, out _)!.Smoke);
}
