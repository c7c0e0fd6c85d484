using ChaosSuite;

namespace Load.Tests.CommandLine;

/// <summary>The chaos suite's command line (System.CommandLine): chaos/README.md's flags, defaults and usage errors (exit code 2).</summary>
public sealed class ChaosArgumentsTests
{
    [Fact]
    public void Read_NoArguments_TheReadmeDefaults()
    {
        var arguments = Read([], out var exitCode, out _);

        Assert.Equal(0, exitCode);
        Assert.Equal(20, arguments!.Options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(20), arguments.Options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), arguments.Options.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(60), arguments.Options.ResolveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), arguments.FaultAfter);
        Assert.Equal(TimeSpan.FromSeconds(4), arguments.FaultFor);
        Assert.Empty(arguments.Scenarios);
    }

    [Fact]
    public void Read_Scenarios_CommaSeparated()
    {
        var arguments = Read(["--scenario", "redis-kill, gateway-kill", "--fault-for", "2.5"], out var exitCode, out _);

        Assert.Equal(0, exitCode);
        Assert.Equal("redis-kill,gateway-kill", string.Join(",", arguments!.Scenarios));
        Assert.Equal(TimeSpan.FromSeconds(2.5), arguments.FaultFor);
    }

    [Theory]
    [InlineData("--rate must be a number from 0.1 to 1000, not 'x'.", "--rate", "x")]
    [InlineData("--fault-for must be a number from 0.1 to 120, not '0'.", "--fault-for", "0")]
    [InlineData("The fault must end within the steady phase", "--duration", "5")]
    [InlineData("--instances", "--instances", "2")]
    public void Read_UsageError_ExitCode2WithTheProblemAndTheUsage(string message, params string[] args)
    {
        var arguments = Read(args, out var exitCode, out var error);

        Assert.Null(arguments);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("usage: ChaosSuite", error, StringComparison.Ordinal);
    }

    private static ChaosArguments? Read(string[] args, out int exitCode, out string error)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var arguments = ChaosArguments.Read(args, output, errors, out exitCode);
        error = errors.ToString();
        return arguments;
    }
}
