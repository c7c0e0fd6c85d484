using System.Globalization;
using LoadDriver.Payouts;
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
    string? Note)
{
    public const string Usage = """
        usage: LoadSuite [--rate 50] [--duration 30] [--warmup 5] [--mix ordinary=80,reject=8,slow=4,drop=3,duplicate=5]
                         [--seed 1] [--max-requests 100000] [--max-in-flight 256] [--drain-timeout 90]
                         [--gateway-dll <path>] [--reports <folder>] [--note <text>]
                         [--target http://127.0.0.1:<port> --api-key <key> --ycb-url http://127.0.0.1:<port>]
          durations in seconds; --target runs against a gateway already running on this machine instead of starting one.
        """;

    public static SuiteArguments Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        string? gatewayDll = null, apiKey = null, reports = null, note = null;
        Uri? target = null, ycb = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
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

        return new SuiteArguments(options, gatewayDll, target, apiKey, ycb, reports, note);
    }

    private static double Number(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{value}'.");

    private static TimeSpan Seconds(string name, string value, double min, double max) => TimeSpan.FromSeconds(Number(name, value, min, max));
}
