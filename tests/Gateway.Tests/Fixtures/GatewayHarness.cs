namespace Gateway.Tests.Fixtures;

/// <summary>
/// Partner simulators and a gateway pointed at them, shared by one test class: the simulators
/// start with the class, the gateway on first use (once the collection's Redis is known), in a
/// Redis database of its own.
/// </summary>
public abstract class GatewayHarness : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private GatewayFactory? _gateway;

    /// <summary>The Redis space this class's gateway uses: a database of its own, or a key prefix on the cluster.</summary>
    public RedisSpace Space { get; private set; } = null!;

    /// <summary>The Redis database this class's gateway uses (see <see cref="RedisFixture.AllocateDatabase"/>; 0 on the cluster).</summary>
    public int Database => Space.Database;

    public GatewayFactory Gateway(IGatewayRedis redis)
    {
        lock (_gate)
        {
            if (_gateway is null)
            {
                Space = redis.Allocate();
                var settings = Settings(Space.ConnectionString);
                Space.ApplyTo(settings);
                Configure(settings);
                _gateway = new GatewayFactory(settings);
                _ = _gateway.Server;
            }

            return _gateway;
        }
    }

    /// <summary>The gateway's settings for these simulators.</summary>
    protected abstract Dictionary<string, string?> Settings(string redisConnection);

    /// <summary>A test class's own settings on top of the harness's.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    protected abstract void StartSimulators();

    protected abstract void StopSimulators();

    public Task InitializeAsync()
    {
        StartSimulators();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        StopSimulators();
    }
}
