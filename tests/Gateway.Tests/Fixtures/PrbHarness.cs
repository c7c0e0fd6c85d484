using Simulators.Prb;

namespace Gateway.Tests.Fixtures;

/// <summary>A prb simulator and a gateway pointed at it (prb the only partner), shared by one test class.</summary>
public class PrbHarness : GatewayHarness
{
    public const string Token = "prb-token-for-gateway-tests-not-real";

    public PrbSimulator Prb { get; private set; } = null!;

    /// <summary>The typical test settings with prb instead of ycb: short timeouts, breaker effectively off.</summary>
    public static Dictionary<string, string?> Settings(string redis, string prbUrl)
    {
        var settings = GatewayFactory.Settings(redis, "http://127.0.0.1:1");
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Partners:ycb:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        settings["Partners:prb:BaseUrl"] = prbUrl;
        settings["Partners:prb:Token"] = Token;
        settings["Partners:prb:Timeout"] = "00:00:01";
        settings["Partners:prb:TotalTimeout"] = "00:00:05";
        settings["Partners:prb:RetryDelay"] = "00:00:00.050";
        settings["Partners:prb:InquiryGrace"] = "00:00:00.500";
        settings["Partners:prb:Breaker:MinimumThroughput"] = "10000";
        settings["Routing:Order"] = "prb";
        return settings;
    }

    protected override Dictionary<string, string?> Settings(string redisConnection) => Settings(redisConnection, Prb.Url);

    protected override void StartSimulators()
    {
        Prb = PrbSimulator.Start(new PrbSimulatorOptions
        {
            Token = Token,
            SlowDelay = TimeSpan.FromSeconds(3),
            SettleAfter = TimeSpan.FromMilliseconds(600),
        });
    }

    protected override void StopSimulators() => Prb.Dispose();
}
