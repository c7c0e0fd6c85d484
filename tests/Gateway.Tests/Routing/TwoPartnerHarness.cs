using Gateway.Tests.Fixtures;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace Gateway.Tests.Routing;

/// <summary>ycb and silkpay simulators and a gateway routing <c>ycb,silkpay</c>, shared by one test class.</summary>
public class TwoPartnerHarness : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private GatewayFactory? _gateway;

    public YcbSimulator Ycb { get; private set; } = null!;
    public SilkPaySimulator SilkPay { get; private set; } = null!;

    public GatewayFactory Gateway(RedisFixture redis)
    {
        lock (_gate)
        {
            if (_gateway is null)
            {
                var settings = SilkPayHarness.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), SilkPay.Url);
                foreach (var (key, value) in GatewayFactory.Settings("unused", Ycb.Url).Where(s => s.Key.StartsWith("Partners:ycb:", StringComparison.Ordinal)))
                {
                    settings[key] = value;
                }

                settings["Routing:Order"] = "ycb,silkpay";
                Configure(settings);
                _gateway = new GatewayFactory(settings);
                _ = _gateway.Server;
            }

            return _gateway;
        }
    }

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public Task InitializeAsync()
    {
        Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3) });
        SilkPay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { SecretKey = SilkPayHarness.SecretKey });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        Ycb.Dispose();
        SilkPay.Dispose();
    }
}
