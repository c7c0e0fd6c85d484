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
        Assert.Equal(20, arguments.Options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(10), arguments.Options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(1), arguments.Options.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(30), arguments.Options.ResolveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), arguments.FaultAfter);
        Assert.Equal(TimeSpan.FromSeconds(2), arguments.FaultFor);
        Assert.Empty(arguments.Scenarios);
    }

    [Fact]
    public void Read_SmokeWithAFlag_TheFlagWins()
    {
        var arguments = ChaosArguments.Read(["--smoke", "--duration", "12", "--fault-for", "3"], TextWriter.Null, TextWriter.Null, out _);

        Assert.Equal(TimeSpan.FromSeconds(12), arguments!.Options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(3), arguments.FaultFor);
    }

    [Fact]
    public void Read_NoSmoke_NotSmoke() =>
        Assert.False(ChaosArguments.Read([], TextWriter.Null, TextWriter.Null, out _)!.Smoke);
}
