using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Gateway.Health;
using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace Simulators;

// The partner simulators as a process (docker-compose, manual use):
//   Simulators [--ycb-port 5101] [--prb-port 5102] [--silkpay-port 5103] [--bind 127.0.0.1]
//              [--only ycb|prb|silkpay] [--slow-delay-ms N] [--settle-after-ms N]
//   Simulators --health URL [URL...]   (container healthcheck: exit 0 when every URL answers 2xx)
// Environment instead of flags: YCB_PORT, PRB_PORT, SILKPAY_PORT, SIMULATORS_BIND. Runs until Ctrl+C or SIGTERM.
// Control API on each simulator: POST/DELETE /__sim/behaviours, GET /__sim/ledger.
internal static class SimulatorsProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
        {
            return await HealthProbe.RunAsync(args);
        }

        Console.OutputEncoding = Encoding.UTF8;
        var ycbPortOption = Port("--ycb-port", "YCB_PORT", 5101);
        var prbPortOption = Port("--prb-port", "PRB_PORT", 5102);
        var silkPayPortOption = Port("--silkpay-port", "SILKPAY_PORT", 5103);
        var bindOption = new Option<string>("--bind")
        {
            Description = "the address to listen on (else env SIMULATORS_BIND)",
            HelpName = "address",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SIMULATORS_BIND") is { Length: > 0 } value ? value : "127.0.0.1",
        };
        var onlyOption = new Option<string?>("--only")
        {
            Description = "start only this simulator (ycb, prb or silkpay), e.g. one process per partner so one can be frozen alone",
            HelpName = "partner",
        };
        onlyOption.AcceptOnlyFromAmong(Partners);
        var slowDelayOption = Milliseconds("--slow-delay-ms", "how long slow answers take (else each simulator's default)");
        var settleAfterOption = Milliseconds("--settle-after-ms", "how long a processing payout stays pending (else each simulator's default)");
        var command = new RootCommand("The ycb, prb and silkpay partner simulators until Ctrl+C or SIGTERM. "
            + "Control API on each: POST/DELETE /__sim/behaviours, GET /__sim/ledger. "
            + "Simulators --health URL [URL...] is the container healthcheck (exit 0 when every URL answers 2xx).")
        {
            ycbPortOption, prbPortOption, silkPayPortOption, bindOption, onlyOption, slowDelayOption, settleAfterOption,
        };
        var parse = command.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await Console.Error.WriteLineAsync(problem.Message);
            }

            return 2;
        }

        if (parse.Action is HelpAction)
        {
            return await parse.InvokeAsync();
        }

        var ycbPort = parse.GetValue(ycbPortOption);
        var prbPort = parse.GetValue(prbPortOption);
        var silkPayPort = parse.GetValue(silkPayPortOption);
        var bind = parse.GetValue(bindOption)!;

        var only = parse.GetValue(onlyOption);
        var slowDelay = parse.GetValue(slowDelayOption);
        var settleAfter = parse.GetValue(settleAfterOption);
        using var ycb = only is null or "ycb" ? YcbSimulator.Start(new YcbSimulatorOptions { Port = ycbPort, BindAddress = bind }
            .WithTimes(slowDelay, settleAfter)) : null;
        using var prb = only is null or "prb" ? PrbSimulator.Start(new PrbSimulatorOptions { Port = prbPort, BindAddress = bind }
            .WithTimes(slowDelay, settleAfter)) : null;
        using var silkPay = only is null or "silkpay" ? SilkPaySimulator.Start(new SilkPaySimulatorOptions { Port = silkPayPort, BindAddress = bind }
            .WithTimes(slowDelay, settleAfter)) : null;
        foreach (var (name, url) in new[] { ("ycb", ycb?.Url), ("prb", prb?.Url), ("silkpay", silkPay?.Url) })
        {
            if (url is not null)
            {
                Console.WriteLine($"{name} simulator listening on {url} (bound to {bind})");
            }
        }

        Console.WriteLine("Ctrl+C to stop");

        var stop = new TaskCompletionSource();
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await stop.Task;
        Console.WriteLine("simulators stopped");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    /// <summary>The names <c>--only</c> accepts.</summary>
    private static readonly string[] Partners = ["ycb", "prb", "silkpay"];

    private static YcbSimulatorOptions WithTimes(this YcbSimulatorOptions options, TimeSpan? slowDelay, TimeSpan? settleAfter) =>
        options with { SlowDelay = slowDelay ?? options.SlowDelay, SettleAfter = settleAfter ?? options.SettleAfter };

    private static PrbSimulatorOptions WithTimes(this PrbSimulatorOptions options, TimeSpan? slowDelay, TimeSpan? settleAfter) =>
        options with { SlowDelay = slowDelay ?? options.SlowDelay, SettleAfter = settleAfter ?? options.SettleAfter };

    private static SilkPaySimulatorOptions WithTimes(this SilkPaySimulatorOptions options, TimeSpan? slowDelay, TimeSpan? settleAfter) =>
        options with { SlowDelay = slowDelay ?? options.SlowDelay, SettleAfter = settleAfter ?? options.SettleAfter };

    /// <summary>An optional duration in whole milliseconds (0 to one hour).</summary>
    private static Option<TimeSpan?> Milliseconds(string flag, string description) => new(flag)
    {
        Description = description,
        HelpName = "ms",
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 3_600_000)
            {
                return TimeSpan.FromMilliseconds(ms);
            }

            result.AddError($"{flag} must be a whole number of milliseconds from 0 to 3600000, not '{value}'.");
            return null;
        },
    };

    /// <summary>A port option, from the flag, else the environment variable, else <paramref name="fallback"/>.</summary>
    private static Option<int> Port(string flag, string environmentVariable, int fallback) => new(flag)
    {
        Description = $"the port to listen on (else env {environmentVariable})",
        HelpName = "port",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } value
            && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback,
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535)
            {
                return port;
            }

            result.AddError($"{flag} must be a port from 0 to 65535, not '{value}'.");
            return 0;
        },
    };
}
