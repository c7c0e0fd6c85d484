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
        var command = new RootCommand("The ycb, prb and silkpay partner simulators until Ctrl+C or SIGTERM. "
            + "Control API on each: POST/DELETE /__sim/behaviours, GET /__sim/ledger. "
            + "Simulators --health URL [URL...] is the container healthcheck (exit 0 when every URL answers 2xx).")
        {
            ycbPortOption, prbPortOption, silkPayPortOption, bindOption,
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

        using var ycb = YcbSimulator.Start(new YcbSimulatorOptions { Port = ycbPort, BindAddress = bind });
        using var prb = PrbSimulator.Start(new PrbSimulatorOptions { Port = prbPort, BindAddress = bind });
        using var silkPay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { Port = silkPayPort, BindAddress = bind });
        Console.WriteLine($"ycb simulator listening on {ycb.Url} (bound to {bind})");
        Console.WriteLine($"prb simulator listening on {prb.Url} (bound to {bind})");
        Console.WriteLine($"silkpay simulator listening on {silkPay.Url} (bound to {bind}); Ctrl+C to stop");

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
