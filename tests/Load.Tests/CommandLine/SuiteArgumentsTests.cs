using LoadDriver.Deployment;
using LoadSuite;

namespace Load.Tests.CommandLine;

/// <summary>The load suite's command line (System.CommandLine): load/README.md's flags, defaults and usage errors (exit code 2).</summary>
public sealed class SuiteArgumentsTests
{
    [Fact]
    public void Read_NoArguments_TheReadmeDefaults()
    {
        var arguments = Read([], out var exitCode, out _);

        Assert.Equal(0, exitCode);
        Assert.NotNull(arguments);
        Assert.Equal(50, arguments.Options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(30), arguments.Options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), arguments.Options.Warmup);
        Assert.Equal(256, arguments.Options.MaxInFlight);
        Assert.Equal(20, arguments.Options.DuplicateReach);
        Assert.Equal(1, arguments.Instances);
        Assert.Equal(RedisTopology.SingleNode, arguments.Redis);
        Assert.Null(arguments.Ramp);
        Assert.Null(arguments.Target);
    }

    [Fact]
    public void Read_EveryKindOfFlag_Taken()
    {
        var arguments = Read(["--rate", "120", "--duration", "12", "--instances", "3", "--redis", "cluster", "--seed", "9", "--note", "idle machine"], out var exitCode, out _);

        Assert.Equal(0, exitCode);
        Assert.Equal(120, arguments!.Options.Rate);
        Assert.Equal(TimeSpan.FromSeconds(12), arguments.Options.Duration);
        Assert.Equal(9, arguments.Options.Seed);
        Assert.Equal(3, arguments.Instances);
        Assert.Equal(RedisTopology.Cluster, arguments.Redis);
        Assert.Equal(1, arguments.Options.DuplicateReach);
        Assert.Equal("idle machine", arguments.Note);
    }

    [Fact]
    public void Read_Ramp_TakesTheRampFlags()
    {
        var arguments = Read(["--ramp", "--ramp-start", "10", "--ramp-factor", "1.5", "--ramp-p99-ms", "100"], out var exitCode, out _);

        Assert.Equal(0, exitCode);
        Assert.Equal(10, arguments!.Ramp!.StartRate);
        Assert.Equal(1.5, arguments.Ramp.Factor);
        Assert.Equal(TimeSpan.FromMilliseconds(100), arguments.Ramp.P99Threshold);
    }

    [Theory]
    [InlineData("--rate must be a number from 0.1 to 10000, not 'fast'.", "--rate", "fast")]
    [InlineData("--rate must be a number from 0.1 to 10000, not '0'.", "--rate", "0")]
    [InlineData("--instances must be a number from 1 to 3, not '4'.", "--instances", "4")]
    [InlineData("--redis must be single or cluster, not 'sentinel'.", "--redis", "sentinel")]
    [InlineData("--ramp-* options need --ramp.", "--ramp-start", "10")]
    [InlineData("give --ramp-step or --ramp-factor, not both.", "--ramp", "--ramp-step", "5", "--ramp-factor", "2")]
    [InlineData("--rate and --duration do not apply to a ramp", "--ramp", "--rate", "5")]
    [InlineData("--target needs --api-key and --ycb-url", "--target", "http://127.0.0.1:5000")]
    [InlineData("--instances and --redis start the suite's own deployment", "--target", "http://127.0.0.1:5000", "--api-key", "k", "--ycb-url", "http://127.0.0.1:5101", "--instances", "2")]
    [InlineData("--no-such-flag", "--no-such-flag", "1")]
    [InlineData("--rate", "--rate")]
    public void Read_UsageError_ExitCode2WithTheProblemAndTheUsage(string message, params string[] args)
    {
        var arguments = Read(args, out var exitCode, out var error);

        Assert.Null(arguments);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("usage: LoadSuite", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Help_ListsEveryFlagAndExits0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var arguments = SuiteArguments.Read(["--help"], output, error, out var exitCode);

        Assert.Null(arguments);
        Assert.Equal(0, exitCode);
        foreach (var flag in new[] { "--rate", "--duration", "--mix", "--ramp-max-duration", "--instances", "--redis", "--duplicate-reach", "--target", "--ycb-url" })
        {
            Assert.Contains(flag, output.ToString(), StringComparison.Ordinal);
        }
    }

    private static SuiteArguments? Read(string[] args, out int exitCode, out string error)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var arguments = SuiteArguments.Read(args, output, errors, out exitCode);
        error = errors.ToString();
        return arguments;
    }
}
