using System.CommandLine;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Ramps;
using LoadDriver.Reports;
using LoadDriver.Runs;
using Orchestration;

namespace LoadSuite;

/// <summary>The command line of the load suite (System.CommandLine; the flags are load/README.md's tables).</summary>
internal sealed record SuiteArguments(
    LoadOptions Options,
    string? GatewayDll,
    Uri? Target,
    string? ApiKey,
    Uri? YcbUrl,
    string? ReportsFolder,
    string? Note,
    RampOptions? Ramp,
    int Instances = 1,
    RedisTopology Redis = RedisTopology.SingleNode)
{
    /// <summary>Limits that fail the run when broken (<c>--max-p99</c>, <c>--min-success</c>); none by default.</summary>
    public RunThresholds Thresholds { get; init; } = RunThresholds.None;

    public const string Usage = """
        usage: LoadSuite [--rate 50] [--duration 30] [--warmup 5] [--mix kind[@partner]=weight,...]
                         [--seed 1] [--max-requests 100000] [--max-in-flight 256] [--drain-timeout 90]
                         [--instances 1] [--redis single|cluster] [--duplicate-reach <20; 1 with several instances>]
                         [--gateway-dll <path>] [--reports <folder>] [--note <text>]
                         [--max-p99 <ms>] [--min-success <percent>]
                         [--target http://127.0.0.1:<port> --api-key <key> --ycb-url http://127.0.0.1:<port>]
           or LoadSuite --ramp [--ramp-start 25] [--ramp-step 25 | --ramp-factor 1.5] [--ramp-step-duration 10] [--ramp-max-rate 1000]
                         [--ramp-p99-ms 50] [--ramp-late-percent 1] [--ramp-error-percent 1] [--ramp-max-steps 40] [--ramp-max-duration 600]
                         [--warmup 5] [--mix ...] [--seed 1] [--max-requests <per step>] [--max-in-flight 256] [--drain-timeout 90] [...]
          durations in seconds; --target runs against a gateway already running on this machine instead of starting one.
        """;

    private static readonly Option<double> Rate = CommandLines.Number("--rate", 0.1, 10_000, "arrivals per second, warm-up and steady phase (default 50)");
    private static readonly Option<double> Duration = CommandLines.Number("--duration", 1, 3600, "steady (measured) phase, seconds (default 30)");
    private static readonly Option<double> Warmup = CommandLines.Number("--warmup", 0, 600, "warm-up, seconds (default 5)");
    private static readonly Option<string> Mix = new("--mix") { Description = $"relative weights of the payout kinds, each at a named partner or routed (default {PayoutMix.Default})", HelpName = "kind[@partner]=weight,..." };
    private static readonly Option<int> Seed = CommandLines.Whole("--seed", 0, int.MaxValue, "the same seed gives the same kinds, accounts and amounts (default 1)");
    private static readonly Option<int> MaxRequests = CommandLines.Whole("--max-requests", 1, 1_000_000, "cap on requests per phase (per step in a ramp; default 100000)");
    private static readonly Option<int> MaxInFlight = CommandLines.Whole("--max-in-flight", 1, 4096, "requests in flight at once; beyond it a due request is not sent in time (default 256)");
    private static readonly Option<double> DrainTimeout = CommandLines.Number("--drain-timeout", 1, 3600, "how long the drain may wait for every payout to be final, seconds (default 90)");
    private static readonly Option<bool> RampMode = new("--ramp") { Description = "ramp mode: steps at rising rates until a threshold breaks; --rate and --duration do not apply" };
    private static readonly Option<double> RampStart = CommandLines.Number("--ramp-start", 0.1, 10_000, "the first step's rate (and the warm-up's), per second (default 25)");
    private static readonly Option<double> RampStep = CommandLines.Number("--ramp-step", 0.1, 10_000, "added to the rate after each step that held (default 25)");
    private static readonly Option<double> RampFactor = CommandLines.Number("--ramp-factor", 1.01, 10, "instead of --ramp-step: the rate is multiplied by it");
    private static readonly Option<double> RampStepDuration = CommandLines.Number("--ramp-step-duration", 1, 3600, "length of one step, seconds (default 10)");
    private static readonly Option<double> RampMaxRate = CommandLines.Number("--ramp-max-rate", 0.1, 10_000, "the last rate tried (default 1000)");
    private static readonly Option<double> RampP99 = CommandLines.Number("--ramp-p99-ms", 0.1, 3_600_000, "a step breaks when its p99 (every kind but slow) is above this, ms (default 50)");
    private static readonly Option<double> RampLate = CommandLines.Number("--ramp-late-percent", 0, 100, "a step breaks when more than this share was not sent in time or never answered (default 1)");
    private static readonly Option<double> RampErrors = CommandLines.Number("--ramp-error-percent", 0, 100, "a step breaks when more than this share got no answer, a 5xx or a 429 (default 1)");
    private static readonly Option<int> RampMaxSteps = CommandLines.Whole("--ramp-max-steps", 1, RampOptions.StepLimit, "at most this many steps (default 40)");
    private static readonly Option<double> RampMaxDuration = CommandLines.Number("--ramp-max-duration", 1, 24 * 3600, "no step starts unless its arrivals end within this many seconds of the start (default 600)");
    private static readonly Option<int> InstanceCount = CommandLines.Whole("--instances", 1, DeploymentOptions.MaxInstances, "gateway processes, each on its own port, all sharing the one Redis (default 1)");
    private static readonly Option<string> RedisOption = new("--redis") { Description = "single: one redis-server; cluster: a three-primary Redis Cluster (default single)", HelpName = "single|cluster" };
    private static readonly Option<int> DuplicateReach = CommandLines.Whole("--duplicate-reach", 1, 1000, "a duplicate repeats one of the last this-many payouts (default 20; 1 with several instances)");
    private static readonly Option<string> GatewayDllOption = new("--gateway-dll") { Description = "the gateway to start (default src/Gateway/bin/<config>/net10.0/Gateway.dll)", HelpName = "path" };
    private static readonly Option<string> TargetOption = new("--target") { Description = "run against a gateway already running on this machine (needs --api-key and --ycb-url)", HelpName = "url" };
    private static readonly Option<string> ApiKeyOption = new("--api-key") { Description = "the client key of the --target gateway", HelpName = "key" };
    private static readonly Option<string> YcbUrlOption = new("--ycb-url") { Description = "the ycb simulator of the --target gateway (its ledger is the ground truth)", HelpName = "url" };
    private static readonly Option<string> ReportsOption = new("--reports") { Description = "where the report goes (default load/reports)", HelpName = "folder" };
    private static readonly Option<string> NoteOption = new("--note") { Description = "free text for the report's Machine line", HelpName = "text" };
    private static readonly Option<double> MaxP99 = CommandLines.Number("--max-p99", 0.1, 3_600_000, "fail the run when the steady phase's POST p99 (from intended send time) is above this, ms");
    private static readonly Option<double> MinSuccess = CommandLines.Number("--min-success", 0, 100, "fail the run when fewer of the payouts expected to succeed did, percent");

    /// <summary>The command: every flag, described for <c>--help</c>.</summary>
    public static RootCommand Command() =>
        new("The load suite: its own Redis, ycb simulator and gateway(s) (or --target), an open-model load or a ramp, a drain, the correctness checks and a report. Exit code 0 correct, 1 a correctness violation, 2 a usage or set-up error.")
        {
            Rate, Duration, Warmup, Mix, Seed, MaxRequests, MaxInFlight, DrainTimeout,
            RampMode, RampStart, RampStep, RampFactor, RampStepDuration, RampMaxRate, RampP99, RampLate, RampErrors, RampMaxSteps, RampMaxDuration,
            InstanceCount, RedisOption, DuplicateReach, GatewayDllOption, TargetOption, ApiKeyOption, YcbUrlOption, ReportsOption, NoteOption,
            MaxP99, MinSuccess,
        };

    /// <summary>
    /// Reads the arguments: the suite's arguments, or null with <paramref name="exitCode"/> set (2 and
    /// the problem and <see cref="Usage"/> on <paramref name="error"/> for a usage error, 0 after <c>--help</c>).
    /// </summary>
    public static SuiteArguments? Read(IReadOnlyList<string> args, TextWriter output, TextWriter error, out int exitCode)
    {
        var parse = Command().Parse(args);
        if (CommandLines.Exit(parse, output, error, Usage) is { } code)
        {
            exitCode = code;
            return null;
        }

        try
        {
            exitCode = 0;
            return From(parse);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            exitCode = CommandLines.Fail(error, ex.Message, Usage);
            return null;
        }
    }

    private static SuiteArguments From(ParseResult parse)
    {
        var options = new LoadOptions();
        var ramp = new RampOptions();
        if (parse.Given(Rate)) options = options with { Rate = parse.GetValue(Rate) };
        if (parse.Given(Duration)) options = options with { Duration = TimeSpan.FromSeconds(parse.GetValue(Duration)) };
        if (parse.Given(Warmup)) options = options with { Warmup = TimeSpan.FromSeconds(parse.GetValue(Warmup)) };
        if (parse.Given(Mix)) options = options with { Mix = PayoutMix.Parse(parse.GetValue(Mix)!) };
        if (parse.Given(Seed)) options = options with { Seed = parse.GetValue(Seed) };
        if (parse.Given(MaxRequests)) options = options with { MaxRequests = parse.GetValue(MaxRequests) };
        if (parse.Given(MaxInFlight)) options = options with { MaxInFlight = parse.GetValue(MaxInFlight) };
        if (parse.Given(DrainTimeout)) options = options with { ResolveTimeout = TimeSpan.FromSeconds(parse.GetValue(DrainTimeout)) };
        if (parse.Given(RampStart)) ramp = ramp with { StartRate = parse.GetValue(RampStart) };
        if (parse.Given(RampStep)) ramp = ramp with { Step = parse.GetValue(RampStep) };
        if (parse.Given(RampFactor)) ramp = ramp with { Factor = parse.GetValue(RampFactor) };
        if (parse.Given(RampStepDuration)) ramp = ramp with { StepDuration = TimeSpan.FromSeconds(parse.GetValue(RampStepDuration)) };
        if (parse.Given(RampMaxRate)) ramp = ramp with { MaxRate = parse.GetValue(RampMaxRate) };
        if (parse.Given(RampP99)) ramp = ramp with { P99Threshold = TimeSpan.FromMilliseconds(parse.GetValue(RampP99)) };
        if (parse.Given(RampLate)) ramp = ramp with { LatePercent = parse.GetValue(RampLate) };
        if (parse.Given(RampErrors)) ramp = ramp with { ErrorPercent = parse.GetValue(RampErrors) };
        if (parse.Given(RampMaxSteps)) ramp = ramp with { MaxSteps = parse.GetValue(RampMaxSteps) };
        if (parse.Given(RampMaxDuration)) ramp = ramp with { MaxDuration = TimeSpan.FromSeconds(parse.GetValue(RampMaxDuration)) };

        var rampMode = parse.GetValue(RampMode);
        var rampFlags = new Option[] { RampStart, RampStep, RampFactor, RampStepDuration, RampMaxRate, RampP99, RampLate, RampErrors, RampMaxSteps, RampMaxDuration }
            .Any(parse.Given);
        var instances = parse.Given(InstanceCount) ? parse.GetValue(InstanceCount) : 1;
        var redis = parse.Given(RedisOption) ? Topology(parse.GetValue(RedisOption)!) : RedisTopology.SingleNode;
        var target = parse.GetValue(TargetOption) is { } targetText ? new Uri(targetText) : null;
        var apiKey = parse.GetValue(ApiKeyOption);
        var ycb = parse.GetValue(YcbUrlOption) is { } ycbText ? new Uri(ycbText) : null;

        if (target is not null && (apiKey is null || ycb is null))
        {
            throw new ArgumentException("--target needs --api-key and --ycb-url (the simulator's ledger is the ground truth).");
        }

        if (target is not null && (instances > 1 || redis != RedisTopology.SingleNode))
        {
            throw new ArgumentException("--instances and --redis start the suite's own deployment; they do not apply with --target.");
        }

        // With several instances a duplicate repeats the latest payout, so it often meets it in flight on another instance.
        options = options with
        {
            DuplicateReach = parse.Given(DuplicateReach) ? parse.GetValue(DuplicateReach) : instances > 1 ? 1 : PayoutPlanner.DefaultDuplicateReach,
        };

        if (rampFlags && !rampMode)
        {
            throw new ArgumentException("--ramp-* options need --ramp.");
        }

        if (parse.Given(RampStep) && parse.Given(RampFactor))
        {
            throw new ArgumentException("give --ramp-step or --ramp-factor, not both.");
        }

        if (rampMode && (parse.Given(Rate) || parse.Given(Duration)))
        {
            throw new ArgumentException("--rate and --duration do not apply to a ramp; use --ramp-start, --ramp-step and --ramp-step-duration.");
        }

        if (rampMode)
        {
            ramp = ramp with { Load = options };
            ramp.Validate();
        }

        var thresholds = new RunThresholds(
            parse.Given(MaxP99) ? TimeSpan.FromMilliseconds(parse.GetValue(MaxP99)) : null,
            parse.Given(MinSuccess) ? parse.GetValue(MinSuccess) : null);
        if (rampMode && thresholds.Any)
        {
            throw new ArgumentException("--max-p99 and --min-success apply to a load run, not to a ramp (it has its own --ramp-* thresholds).");
        }

        return new SuiteArguments(options, parse.GetValue(GatewayDllOption), target, apiKey, ycb, parse.GetValue(ReportsOption), parse.GetValue(NoteOption),
            rampMode ? ramp : null, instances, redis)
        {
            Thresholds = thresholds,
        };
    }

    private static RedisTopology Topology(string value) => value switch
    {
        "single" => RedisTopology.SingleNode,
        "cluster" => RedisTopology.Cluster,
        _ => throw new ArgumentException($"--redis must be single or cluster, not '{value}'."),
    };
}
