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
    public void SmokeDefaults_TheFaultEndsLongerBeforeTheSteadyEndThanTheBreakerPause()
    {
        // Recovery is measured on payouts after the fault: a breaker opened by it must have closed with time to spare.
        var pause = TimeSpan.Parse(LoadDriver.Deployment.DeploymentOptions.Overlay["Partners__ycb__Breaker__BreakDuration"], System.Globalization.CultureInfo.InvariantCulture);
        var afterFault = ChaosArguments.SmokeDefaults.Duration - ChaosArguments.SmokeDefaults.FaultAfter - ChaosArguments.SmokeDefaults.FaultFor;
        Assert.True(TimeSpan.FromSeconds(afterFault) > pause, $"{afterFault} s after the fault, breaker pause {pause}");
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
