using System.Globalization;
using LoadDriver.Payouts;
using LoadDriver.Runs;

namespace ChaosSuite;

/// <summary>The command line of the chaos suite (see chaos/README.md).</summary>
internal sealed record ChaosArguments(
    LoadOptions Options,
    TimeSpan FaultAfter,
    TimeSpan FaultFor,
    IReadOnlyList<string> Scenarios,
    string? GatewayDll,
    string? ReportsFolder,
    string? Note)
{
    public const string Usage = """
        usage: ChaosSuite [--scenario partner-down,partner-slow,redis-kill] [--rate 20] [--duration 20] [--warmup 2]
                          [--fault-after 5] [--fault-for 4] [--mix ...] [--seed 1] [--drain-timeout 60]
                          [--gateway-dll <path>] [--reports <folder>] [--note <text>]
          durations in seconds; the fault starts --fault-after seconds into the steady phase and lasts --fault-for.
        """;

    public static ChaosArguments Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions
        {
            Rate = 20,
            Duration = TimeSpan.FromSeconds(20),
            Warmup = TimeSpan.FromSeconds(2),
            ResolveTimeout = TimeSpan.FromSeconds(60),
        };
        var after = TimeSpan.FromSeconds(5);
        var length = TimeSpan.FromSeconds(4);
        IReadOnlyList<string> scenarios = [];
        string? gatewayDll = null, reports = null, note = null;
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
                case "--scenario": scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--rate": options = options with { Rate = Number(name, value, 0.1, 1000) }; break;
                case "--duration": options = options with { Duration = Seconds(name, value, 1, 600) }; break;
                case "--warmup": options = options with { Warmup = Seconds(name, value, 0, 60) }; break;
                case "--fault-after": after = Seconds(name, value, 0, 600); break;
                case "--fault-for": length = Seconds(name, value, 0.1, 120); break;
                case "--mix": options = options with { Mix = PayoutMix.Parse(value) }; break;
                case "--seed": options = options with { Seed = (int)Number(name, value, 0, int.MaxValue) }; break;
                case "--drain-timeout": options = options with { ResolveTimeout = Seconds(name, value, 1, 1800) }; break;
                case "--gateway-dll": gatewayDll = value; break;
                case "--reports": reports = value; break;
                case "--note": note = value; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        if (after + length > options.Duration)
        {
            throw new ArgumentException("The fault must end within the steady phase: --fault-after + --fault-for <= --duration.");
        }

        return new ChaosArguments(options, after, length, scenarios, gatewayDll, reports, note);
    }

    private static double Number(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{value}'.");

    private static TimeSpan Seconds(string name, string value, double min, double max) => TimeSpan.FromSeconds(Number(name, value, min, max));
}
