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

        var ycbPort = int.Parse(Setting("--ycb-port", "YCB_PORT", "5101"), NumberStyles.None, CultureInfo.InvariantCulture);
        var prbPort = int.Parse(Setting("--prb-port", "PRB_PORT", "5102"), NumberStyles.None, CultureInfo.InvariantCulture);
        var silkPayPort = int.Parse(Setting("--silkpay-port", "SILKPAY_PORT", "5103"), NumberStyles.None, CultureInfo.InvariantCulture);
        var bind = Setting("--bind", "SIMULATORS_BIND", "127.0.0.1");

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

        string Setting(string flag, string environmentVariable, string fallback)
        {
            var index = Array.IndexOf(args, flag);
            if (index >= 0)
            {
                return index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"{flag} needs a value");
            }

            return Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } value ? value : fallback;
        }
    }
}
