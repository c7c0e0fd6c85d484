using System.CommandLine;
using LoadDriver.Payouts;
using LoadDriver.Runs;
using Orchestration;

namespace ChaosSuite;

/// <summary>The command line of the chaos suite (System.CommandLine; the flags are chaos/README.md's table).</summary>
internal sealed record ChaosArguments(
    LoadOptions Options,
    TimeSpan FaultAfter,
    TimeSpan FaultFor,
    IReadOnlyList<string> Scenarios,
    string? GatewayDll,
    string? ReportsFolder,
    string? Note,
    bool Smoke = false,
    string? Mix = null,
    int Lanes = 1)
{
    /// <summary>
    /// The CI smoke mode's figures (<c>--smoke</c>): short; the fault (1 s in, 2 s long) ends 6 s before the steady phase
    /// does, so a scenario that recovers at once shows it (<see cref="RecoveryEvidence"/>) within the steady phase, and
    /// one that takes longer (a breaker's pause) gets an after-fault phase until it does.
    /// </summary>
    public static class SmokeDefaults
    {
        public const double Rate = 20;
        public const double Duration = 9;
        public const double Warmup = 1;
        public const double FaultAfter = 1;
        public const double FaultFor = 2;
        public const double DrainTimeout = 30;

        /// <summary>Lanes side by side (<see cref="ChaosSuite.Lanes"/>): the scenarios mostly wait on the clock, so three fit on 2 cores.</summary>
        public const int Lanes = 3;
    }

    public const string Usage = """
        usage: ChaosSuite [--smoke] [--scenario partner-down,partner-slow,redis-kill] [--rate 20] [--duration 20] [--warmup 2]
                          [--fault-after 5] [--fault-for 4] [--mix ...] [--seed 1] [--drain-timeout 60]
                          [--lanes 1] [--gateway-dll <path>] [--reports <folder>] [--note <text>]
          durations in seconds; the fault starts --fault-after seconds into the steady phase and lasts --fault-for.
          --smoke: every scenario, short (20/s for 9 s after 1 s warm-up, fault 1 s in for 2 s, drain at most 30 s, 3 lanes); flags given still win.
          --lanes: how many scenarios run side by side, each lane on deployments of its own.
          --mix: every scenario runs with it; without it a partner scenario runs with its suggested mix, the others with the default.
        """;

    private static readonly Option<string> Scenario = new("--scenario") { Description = "comma-separated scenario names (default all; an unknown name lists them)", HelpName = "names" };
    private static readonly Option<bool> SmokeOption = new("--smoke") { Description = "CI smoke mode: every scenario short (20/s for 9 s, 1 s warm-up, fault 1 s in for 2 s, drain at most 30 s, 3 lanes; flags given still win), total wall time printed" };
    private static readonly Option<double> Rate = CommandLines.Number("--rate", 0.1, 1000, "arrivals per second (default 20)");
    private static readonly Option<double> Duration = CommandLines.Number("--duration", 1, 600, "steady phase, seconds; the fault must end within it (default 20)");
    private static readonly Option<double> Warmup = CommandLines.Number("--warmup", 0, 60, "warm-up, seconds (default 2)");
    private static readonly Option<double> FaultAfterOption = CommandLines.Number("--fault-after", 0, 600, "seconds into the steady phase the fault starts (default 5)");
    private static readonly Option<double> FaultForOption = CommandLines.Number("--fault-for", 0.1, 120, "seconds the fault lasts (default 4)");
    private static readonly Option<string> MixOption = new("--mix") { Description = "relative weights of the payout kinds, as the load suite, for every scenario (default: a partner scenario's suggested mix, otherwise the load suite's)", HelpName = "kind=weight,..." };
    private static readonly Option<int> Seed = CommandLines.Whole("--seed", 0, int.MaxValue, "the same seed gives the same kinds, accounts and amounts (default 1)");
    private static readonly Option<double> DrainTimeout = CommandLines.Number("--drain-timeout", 1, 1800, "how long the drain waits for final statuses, seconds (default 60)");
    private static readonly Option<int> LanesOption = CommandLines.Whole("--lanes", 1, 8, "how many scenarios run side by side, each lane on deployments of its own (default 1; --smoke 3)");
    private static readonly Option<string> GatewayDllOption = new("--gateway-dll") { Description = "the gateway to start (default src/Gateway/bin/<config>/net10.0/Gateway.dll)", HelpName = "path" };
    private static readonly Option<string> ReportsOption = new("--reports") { Description = "where the reports go (default chaos/reports)", HelpName = "folder" };
    private static readonly Option<string> NoteOption = new("--note") { Description = "free text for the reports' Machine line", HelpName = "text" };

    /// <summary>The command: every flag, described for <c>--help</c>.</summary>
    public static RootCommand Command() =>
        new("The chaos suite: per scenario its own Redis, ycb simulator and gateway, a steady load, one fault in the middle of it, a drain and the correctness checks. Exit code 0 no violation, 1 a violation, 2 a usage or set-up error.")
        {
            SmokeOption, Scenario, Rate, Duration, Warmup, FaultAfterOption, FaultForOption, MixOption, Seed, DrainTimeout, LanesOption, GatewayDllOption, ReportsOption, NoteOption,
        };

    /// <summary>
    /// Reads the arguments: the suite's arguments, or null with <paramref name="exitCode"/> set (2 and
    /// the problem and <see cref="Usage"/> on <paramref name="error"/> for a usage error, 0 after <c>--help</c>).
    /// </summary>
    public static ChaosArguments? Read(IReadOnlyList<string> args, TextWriter output, TextWriter error, out int exitCode)
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
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            exitCode = CommandLines.Fail(error, ex.Message, Usage);
            return null;
        }
    }

    /// <summary>
    /// How long a stretch of outcomes as expected must follow the last fault's end before a scenario's load stops
    /// (<see cref="LoadOptions.RecoveryEvidence"/>): when the steady phase has not shown it (a partner breaker's 5 s pause
    /// keeps routed payouts failing over; a restart slowed by a busy machine), the load goes on until it has, or until the
    /// scenario's recovery bound and this span have passed (<see cref="AwaitRecovery"/>).
    /// </summary>
    public static readonly TimeSpan RecoveryEvidence = TimeSpan.FromSeconds(3);

    /// <summary>How long after the fault's end a scenario with recovery bound <paramref name="bound"/> waits for <see cref="RecoveryEvidence"/>: long enough to see a recovery that takes the whole bound.</summary>
    public static TimeSpan AwaitRecovery(TimeSpan bound) => bound + RecoveryEvidence + TimeSpan.FromSeconds(1);

    private static ChaosArguments From(ParseResult parse)
    {
        var smoke = parse.GetValue(SmokeOption);
        var options = new LoadOptions
        {
            Rate = parse.Given(Rate) ? parse.GetValue(Rate) : smoke ? SmokeDefaults.Rate : 20,
            Duration = TimeSpan.FromSeconds(parse.Given(Duration) ? parse.GetValue(Duration) : smoke ? SmokeDefaults.Duration : 20),
            Warmup = TimeSpan.FromSeconds(parse.Given(Warmup) ? parse.GetValue(Warmup) : smoke ? SmokeDefaults.Warmup : 2),
            ResolveTimeout = TimeSpan.FromSeconds(parse.Given(DrainTimeout) ? parse.GetValue(DrainTimeout) : smoke ? SmokeDefaults.DrainTimeout : 60),
            // Recovery is judged on the payouts submitted after the fault: the load goes on until they show it.
            RecoveryEvidence = RecoveryEvidence,
        };
        string? mix = null;
        if (parse.Given(MixOption))
        {
            mix = parse.GetValue(MixOption)!;
            options = options with { Mix = PayoutMix.Parse(mix) };
        }

        if (parse.Given(Seed))
        {
            options = options with { Seed = parse.GetValue(Seed) };
        }

        var after = TimeSpan.FromSeconds(parse.Given(FaultAfterOption) ? parse.GetValue(FaultAfterOption) : smoke ? SmokeDefaults.FaultAfter : 5);
        var length = TimeSpan.FromSeconds(parse.Given(FaultForOption) ? parse.GetValue(FaultForOption) : smoke ? SmokeDefaults.FaultFor : 4);
        IReadOnlyList<string> scenarios = parse.GetValue(Scenario) is { } names
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        if (after + length > options.Duration)
        {
            throw new ArgumentException("The fault must end within the steady phase: --fault-after + --fault-for <= --duration.");
        }

        return new ChaosArguments(options, after, length, scenarios, parse.GetValue(GatewayDllOption), parse.GetValue(ReportsOption), parse.GetValue(NoteOption), smoke, mix,
            parse.Given(LanesOption) ? parse.GetValue(LanesOption) : smoke ? SmokeDefaults.Lanes : 1);
    }
}
