using System.CommandLine;
using Orchestration;

namespace Sandbox;

/// <summary>
/// The sandbox's command line (System.CommandLine): <c>--gateway &lt;Gateway.dll&gt;</c> (required),
/// <c>--instances N</c> (gateway processes sharing one Redis, 1..5, default 1),
/// <c>--redis single|cluster</c> (one redis-server, or a three-primary Redis Cluster; default single)
/// and <c>--keep</c> (leave the stack up after the demo, for a person to use, until Ctrl-C or <see cref="KeepAtMost"/>).
/// </summary>
internal sealed record SandboxOptions(string GatewayDll, int Instances, bool Cluster, bool Keep = false)
{
    public const string Usage = "usage: Sandbox --gateway <path to Gateway.dll> [--instances 1..5] [--redis single|cluster] [--keep]";

    /// <summary>How long <c>--keep</c> leaves the stack up at most, so a forgotten sandbox does not run for ever.</summary>
    public static readonly TimeSpan KeepAtMost = TimeSpan.FromHours(1);

    private static readonly Option<string> Gateway = new("--gateway") { Description = "the built gateway to run (dotnet Gateway.dll)", HelpName = "path", Required = true };

    private static readonly Option<int> InstanceCount = CommandLines.Whole("--instances", 1, 5, "gateway processes sharing the one Redis, each on its own port (default 1)");

    private static readonly Option<string> Redis = new Option<string>("--redis")
    {
        Description = "single: one redis-server; cluster: a three-primary Redis Cluster",
        DefaultValueFactory = _ => "single",
    }.AcceptOnlyFromAmong("single", "cluster");

    private static readonly Option<bool> KeepRunning = new("--keep")
    {
        Description = "leave the stack up after the demo until Ctrl-C (at most an hour), for the /ops page and curl",
    };

    /// <summary>The command: its options and a description for <c>--help</c>.</summary>
    public static RootCommand Command() =>
        new("The sandbox: real Redis (AOF), the ycb, prb and silkpay simulators and the gateway as its own process(es); a demo batch and a summary of outcomes and diagnoses.")
        {
            Gateway, InstanceCount, Redis, KeepRunning,
        };

    /// <summary>
    /// Reads the arguments: the options, or null with <paramref name="exitCode"/> set (2 and the
    /// problem on <paramref name="error"/> for a usage error, 0 after <c>--help</c>).
    /// </summary>
    public static SandboxOptions? Read(IReadOnlyList<string> args, TextWriter output, TextWriter error, out int exitCode)
    {
        var parse = Command().Parse(args);
        if (CommandLines.Exit(parse, output, error, Usage) is { } code)
        {
            exitCode = code;
            return null;
        }

        exitCode = 0;
        return new SandboxOptions(parse.GetRequiredValue(Gateway), parse.Given(InstanceCount) ? parse.GetValue(InstanceCount) : 1,
            parse.GetValue(Redis) == "cluster", parse.GetValue(KeepRunning));
    }
}
