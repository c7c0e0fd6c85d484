using System.Globalization;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Ramps;
using LoadDriver.Reports;
using LoadDriver.Runs;

namespace LoadSuite;

/// <summary>The command line of the load suite (see load/README.md).</summary>
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
    // --- report thresholds (issue 13): --max-p99 <ms>, --min-success <percent>; see ParseThreshold. ---
    /// <summary>Limits that fail the run when broken (<c>--max-p99</c>, <c>--min-success</c>); none by default.</summary>
    public RunThresholds Thresholds { get; init; } = RunThresholds.None;

    public const string Usage = """
        usage: LoadSuite [--rate 50] [--duration 30] [--warmup 5] [--mix ordinary=80,reject=8,slow=4,drop=3,duplicate=5]
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

    public static SuiteArguments Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        string? gatewayDll = null, apiKey = null, reports = null, note = null;
        Uri? target = null, ycb = null;
        var ramp = new RampOptions();
        bool rampMode = false, rampFlags = false, steadyFlags = false;
        var stepFlags = 0;
        var instances = 1;
        var redis = RedisTopology.SingleNode;
        int? duplicateReach = null;
        var thresholds = RunThresholds.None;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--ramp")
            {
                rampMode = true;
                continue;
            }

            rampFlags |= name.StartsWith("--ramp-", StringComparison.Ordinal);
            stepFlags += name is "--ramp-step" or "--ramp-factor" ? 1 : 0;
            steadyFlags |= name is "--rate" or "--duration";
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            if (ParseThreshold(name, value, ref thresholds))
            {
                continue;
            }

            switch (name)
            {
                case "--rate": options = options with { Rate = Number(name, value, 0.1, 10_000) }; break;
                case "--duration": options = options with { Duration = Seconds(name, value, 1, 3600) }; break;
                case "--warmup": options = options with { Warmup = Seconds(name, value, 0, 600) }; break;
                case "--mix": options = options with { Mix = PayoutMix.Parse(value) }; break;
                case "--seed": options = options with { Seed = (int)Number(name, value, 0, int.MaxValue) }; break;
                case "--max-requests": options = options with { MaxRequests = (int)Number(name, value, 1, 1_000_000) }; break;
                case "--max-in-flight": options = options with { MaxInFlight = (int)Number(name, value, 1, 4096) }; break;
                case "--drain-timeout": options = options with { ResolveTimeout = Seconds(name, value, 1, 3600) }; break;
                case "--ramp-start": ramp = ramp with { StartRate = Number(name, value, 0.1, 10_000) }; break;
                case "--ramp-step": ramp = ramp with { Step = Number(name, value, 0.1, 10_000) }; break;
                case "--ramp-factor": ramp = ramp with { Factor = Number(name, value, 1.01, 10) }; break;
                case "--ramp-step-duration": ramp = ramp with { StepDuration = Seconds(name, value, 1, 3600) }; break;
                case "--ramp-max-rate": ramp = ramp with { MaxRate = Number(name, value, 0.1, 10_000) }; break;
                case "--ramp-p99-ms": ramp = ramp with { P99Threshold = TimeSpan.FromMilliseconds(Number(name, value, 0.1, 3_600_000)) }; break;
                case "--ramp-late-percent": ramp = ramp with { LatePercent = Number(name, value, 0, 100) }; break;
                case "--ramp-error-percent": ramp = ramp with { ErrorPercent = Number(name, value, 0, 100) }; break;
                case "--ramp-max-steps": ramp = ramp with { MaxSteps = (int)Number(name, value, 1, RampOptions.StepLimit) }; break;
                case "--ramp-max-duration": ramp = ramp with { MaxDuration = Seconds(name, value, 1, 24 * 3600) }; break;
                case "--instances": instances = (int)Number(name, value, 1, DeploymentOptions.MaxInstances); break;
                case "--redis": redis = Topology(value); break;
                case "--duplicate-reach": duplicateReach = (int)Number(name, value, 1, 1000); break;
                case "--gateway-dll": gatewayDll = value; break;
                case "--target": target = new Uri(value); break;
                case "--api-key": apiKey = value; break;
                case "--ycb-url": ycb = new Uri(value); break;
                case "--reports": reports = value; break;
                case "--note": note = value; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        if (target is not null && (apiKey is null || ycb is null))
        {
            throw new ArgumentException("--target needs --api-key and --ycb-url (the simulator's ledger is the ground truth).");
        }

        if (target is not null && (instances > 1 || redis != RedisTopology.SingleNode))
        {
            throw new ArgumentException("--instances and --redis start the suite's own deployment; they do not apply with --target.");
        }

        // With several instances a duplicate repeats the latest payout, so it often meets it in flight on another instance.
        options = options with { DuplicateReach = duplicateReach ?? (instances > 1 ? 1 : PayoutPlanner.DefaultDuplicateReach) };

        if (rampFlags && !rampMode)
        {
            throw new ArgumentException("--ramp-* options need --ramp.");
        }

        if (stepFlags > 1)
        {
            throw new ArgumentException("give --ramp-step or --ramp-factor, not both.");
        }

        if (rampMode && steadyFlags)
        {
            throw new ArgumentException("--rate and --duration do not apply to a ramp; use --ramp-start, --ramp-step and --ramp-step-duration.");
        }

        if (rampMode)
        {
            ramp = ramp with { Load = options };
            ramp.Validate();
        }

        if (rampMode && thresholds.Any)
        {
            throw new ArgumentException("--max-p99 and --min-success apply to a load run, not to a ramp (it has its own --ramp-* thresholds).");
        }

        return new SuiteArguments(options, gatewayDll, target, apiKey, ycb, reports, note, rampMode ? ramp : null, instances, redis)
        {
            Thresholds = thresholds,
        };
    }

    /// <summary>The report thresholds (issue 13): true when <paramref name="name"/> was one of them.</summary>
    private static bool ParseThreshold(string name, string value, ref RunThresholds thresholds)
    {
        switch (name)
        {
            case "--max-p99": thresholds = thresholds with { MaxP99 = TimeSpan.FromMilliseconds(Number(name, value, 0.1, 3_600_000)) }; return true;
            case "--min-success": thresholds = thresholds with { MinSuccessPercent = Number(name, value, 0, 100) }; return true;
            default: return false;
        }
    }

    private static double Number(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{value}'.");

    private static RedisTopology Topology(string value) => value switch
    {
        "single" => RedisTopology.SingleNode,
        "cluster" => RedisTopology.Cluster,
        _ => throw new ArgumentException($"--redis must be single or cluster, not '{value}'."),
    };

    private static TimeSpan Seconds(string name, string value, double min, double max) => TimeSpan.FromSeconds(Number(name, value, min, max));
}
