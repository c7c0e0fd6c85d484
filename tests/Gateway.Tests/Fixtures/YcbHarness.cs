using Simulators.Ycb;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A ycb simulator and a gateway pointed at it, shared by one test class. The gateway starts on
/// first use, once the collection's Redis is known.
/// </summary>
public class YcbHarness : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private GatewayFactory? _gateway;

    public YcbSimulator Ycb { get; private set; } = null!;

    /// <summary>The Redis database this class's gateway uses (see <see cref="RedisFixture.AllocateDatabase"/>).</summary>
    public int Database { get; private set; }

    public GatewayFactory Gateway(RedisFixture redis)
    {
        lock (_gate)
        {
            if (_gateway is null)
            {
                Database = redis.AllocateDatabase();
                var settings = GatewayFactory.Settings(redis.ConnectionStringFor(Database), Ycb.Url);
                Configure(settings);
                _gateway = new GatewayFactory(settings);
                _ = _gateway.Server;
            }

            return _gateway;
        }
    }

    /// <summary>A test class's own settings on top of the defaults.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public Task InitializeAsync()
    {
        Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromMilliseconds(600) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        Ycb.Dispose();
    }
}
