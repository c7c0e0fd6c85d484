using Simulators.SilkPay;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A SilkPay simulator and a gateway pointed at it (silkpay the only partner), shared by one test
/// class. The gateway starts on first use, once the collection's Redis is known.
/// </summary>
public class SilkPayHarness : IAsyncLifetime
{
    public const string SecretKey = "sk_test_gateway_tests_not_real";

    private readonly Lock _gate = new();
    private GatewayFactory? _gateway;

    public SilkPaySimulator SilkPay { get; private set; } = null!;

    /// <summary>The Redis database this class's gateway uses (see <see cref="RedisFixture.AllocateDatabase"/>).</summary>
    public int Database { get; private set; }

    public GatewayFactory Gateway(RedisFixture redis)
    {
        lock (_gate)
        {
            if (_gateway is null)
            {
                Database = redis.AllocateDatabase();
                _gateway = new GatewayFactory(Settings(redis.ConnectionStringFor(Database), SilkPay.Url));
                _ = _gateway.Server;
            }

            return _gateway;
        }
    }

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
        settings["Partners:silkpay:Timeout"] = "00:00:01";
        settings["Partners:silkpay:TotalTimeout"] = "00:00:05";
        settings["Partners:silkpay:RetryDelay"] = "00:00:00.050";
        settings["Partners:silkpay:InquiryGrace"] = "00:00:00.500";
        settings["Partners:silkpay:Breaker:MinimumThroughput"] = "10000";
        settings["Routing:Order"] = "silkpay";
        return settings;
    }

    public Task InitializeAsync()
    {
        SilkPay = SilkPaySimulator.Start(new SilkPaySimulatorOptions
        {
            SecretKey = SecretKey,
            SlowDelay = TimeSpan.FromSeconds(3),
            SettleAfter = TimeSpan.FromMilliseconds(600),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        SilkPay.Dispose();
    }
}
