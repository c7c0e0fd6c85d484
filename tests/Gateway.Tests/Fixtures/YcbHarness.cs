using Simulators.Ycb;

namespace Gateway.Tests.Fixtures;

/// <summary>A ycb simulator and a gateway pointed at it (ycb the only partner).</summary>
public class YcbHarness : GatewayHarness
{
    public YcbSimulator Ycb { get; private set; } = null!;

    protected override Dictionary<string, string?> Settings(string redisConnection) => GatewayFactory.Settings(redisConnection, Ycb.Url);

    protected override void StartSimulators() =>
        Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromMilliseconds(600) });

    protected override void StopSimulators() => Ycb.Dispose();
}
