using Gateway.Tests.Fixtures;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace Gateway.Tests.Routing;

/// <summary>ycb and silkpay simulators and a gateway routing <c>ycb,silkpay</c>, shared by one test class.</summary>
public class TwoPartnerHarness : GatewayHarness
{
    public YcbSimulator Ycb { get; private set; } = null!;
    public SilkPaySimulator SilkPay { get; private set; } = null!;

    protected override Dictionary<string, string?> Settings(string redisConnection)
    {
        var settings = SilkPayHarness.Settings(redisConnection, SilkPay.Url);
        GatewayFactory.AddYcb(settings, Ycb.Url);

        settings["Routing:Order"] = "ycb,silkpay";
        return settings;
    }

    protected override void StartSimulators()
    {
        Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3) });
        SilkPay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { SecretKey = SilkPayHarness.SecretKey });
    }

    protected override void StopSimulators()
    {
        Ycb.Dispose();
        SilkPay.Dispose();
    }
}
