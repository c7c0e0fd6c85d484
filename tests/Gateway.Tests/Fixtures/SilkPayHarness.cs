using Simulators.SilkPay;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A SilkPay simulator and a gateway pointed at it (silkpay the only partner), shared by one test
/// class. The gateway starts on first use, once the collection's Redis is known.
/// </summary>
public class SilkPayHarness : GatewayHarness
{
    public const string SecretKey = "sk_test_gateway_tests_not_real";

    public SilkPaySimulator SilkPay { get; private set; } = null!;

    /// <summary>The typical test settings with silkpay instead of ycb: short timeouts, breaker effectively off.</summary>
    public static Dictionary<string, string?> Settings(string redis, string silkPayUrl)
    {
        var settings = GatewayFactory.Settings(redis, "http://127.0.0.1:1");
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Partners:ycb:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        settings["Partners:silkpay:BaseUrl"] = silkPayUrl;
        settings["Partners:silkpay:SecretKey"] = SecretKey;
        // 2 s: an in-process answer can take over 1 s on 2 busy cores (a CI run once saw an in-transit answer time out);
        // every slow behaviour the tests use answers after 3 s or later, so it still times out.
        settings["Partners:silkpay:Timeout"] = "00:00:02";
        settings["Partners:silkpay:TotalTimeout"] = "00:00:05";
        settings["Partners:silkpay:RetryDelay"] = "00:00:00.050";
        settings["Partners:silkpay:InquiryGrace"] = "00:00:00.500";
        settings["Partners:silkpay:Breaker:MinimumThroughput"] = "10000";
        settings["Routing:Order"] = "silkpay";
        return settings;
    }

    protected override Dictionary<string, string?> Settings(string redisConnection) => Settings(redisConnection, SilkPay.Url);

    protected override void StartSimulators()
    {
        SilkPay = SilkPaySimulator.Start(new SilkPaySimulatorOptions
        {
            SecretKey = SecretKey,
            SlowDelay = TimeSpan.FromSeconds(3),
            SettleAfter = TimeSpan.FromMilliseconds(600),
        });
    }

    protected override void StopSimulators() => SilkPay.Dispose();
}
