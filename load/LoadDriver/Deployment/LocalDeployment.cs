using LoadDriver.Api;
using LoadDriver.Ledger;
using Orchestration;
using Simulators.Ycb;

namespace LoadDriver.Deployment;

/// <summary>
/// What ./sandbox runs, for load and chaos: a real Redis (one redis-server with AOF, or a
/// three-primary <see cref="RedisCluster"/>) on free loopback ports, the ycb simulator in this
/// process, and one to three gateways as their own processes (<c>dotnet Gateway.dll</c>, each on
/// its own port, all sharing the Redis), in a temporary folder with their logs. Redis (single) and
/// each gateway can be killed and restarted.
/// </summary>
public sealed class LocalDeployment : IAsyncDisposable
{
    public const string ApiKey = "load-lender-key-not-secret";

    /// <summary>The on-call key (<c>Auth:OpsKeys:load-on-call</c>) for <c>/v1/diagnostics/*</c>; obviously fake.</summary>
    public const string OnCallKey = "load-on-call-key-not-secret";

    private readonly DeploymentOptions _options;
    private readonly RedisProcess? _redis;
    private readonly List<GatewayProcess> _gateways = [];

    private LocalDeployment(DeploymentOptions options, string folder, RedisProcess? redis, RedisCluster? cluster, YcbSimulator ycb)
    {
        _options = options;
        Folder = folder;
        _redis = redis;
        Cluster = cluster;
        Ycb = ycb;
    }

    public string Folder { get; }

    /// <summary>The single redis-server (for kills and restarts); a deployment on a cluster has none.</summary>
    public RedisProcess Redis => _redis ?? throw new InvalidOperationException("This deployment runs a Redis Cluster, not a single redis-server.");

    /// <summary>The Redis Cluster, when <see cref="DeploymentOptions.Redis"/> is <see cref="RedisTopology.Cluster"/>.</summary>
    public RedisCluster? Cluster { get; }

    /// <summary>What the gateways get as <c>ConnectionStrings:Redis</c>.</summary>
    public string RedisConnection => _redis?.Endpoint ?? Cluster!.ConnectionString;

    public YcbSimulator Ycb { get; }

    /// <summary>The gateway instances, in the order of <see cref="Targets"/>.</summary>
    public IReadOnlyList<GatewayProcess> Gateways => _gateways;

    /// <summary>The first gateway's URL.</summary>
    public Uri GatewayUrl => _gateways[0].Url;

    /// <summary>The first gateway's log.</summary>
    public string GatewayLog => _gateways[0].LogPath;

    public IPartnerLedger Ledger => new SimulatorLedger(Ycb);

    public static async Task<LocalDeployment> StartAsync(DeploymentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Instances, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Instances, DeploymentOptions.MaxInstances);
        var folder = Directory.CreateTempSubdirectory("gateway-load-").FullName;
        RedisProcess? redis = null;
        RedisCluster? cluster = null;
        if (options.Redis == RedisTopology.Cluster)
        {
            cluster = await RedisCluster.StartAsync(Path.Combine(folder, "redis-cluster"), cancellationToken: cancellationToken);
        }
        else
        {
            redis = await RedisProcess.StartNewAsync(folder, cancellationToken: cancellationToken);
        }

        var ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = options.SlowDelay, SettleAfter = options.SettleAfter });
        var deployment = new LocalDeployment(options, folder, redis, cluster, ycb);
        try
        {
            deployment.CreateGateways();
            foreach (var gateway in deployment._gateways)
            {
                gateway.Start();
            }

            await Task.WhenAll(deployment._gateways.Select(g => g.WaitReadyAsync(cancellationToken)));
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the first gateway (again) on its port and waits for <c>/health/ready</c>.</summary>
    public Task StartGatewayAsync(CancellationToken cancellationToken = default) => StartGatewayAsync(0, cancellationToken);

    /// <summary>Starts gateway <paramref name="instance"/> (again) on its port and waits for <c>/health/ready</c>.</summary>
    public async Task StartGatewayAsync(int instance, CancellationToken cancellationToken = default)
    {
        var gateway = _gateways[instance];
        gateway.Start();
        await gateway.WaitReadyAsync(cancellationToken);
    }

    /// <summary>
    /// SIGKILL of gateway <paramref name="instance"/>: executions in flight stop where they are. Kept for the
    /// gateway-kill chaos scenario, which waits for the reconciler (chaos/ChaosSuite/Scenarios/GatewayKillScenario.cs).
    /// </summary>
    public Task KillGatewayAsync(int instance = 0) => _gateways[instance].KillAsync();

    /// <summary>A client of the first gateway.</summary>
    public GatewayClient Client(TimeSpan requestTimeout) => new(GatewayUrl, ApiKey, requestTimeout);

    /// <summary>One client per gateway instance (numbered as <see cref="Gateways"/>); the caller disposes them.</summary>
    public IReadOnlyList<GatewayClient> Clients(TimeSpan requestTimeout) =>
        _gateways.Select((g, i) => new GatewayClient(g.Url, ApiKey, requestTimeout, instance: i)).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        Ycb.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (!_options.KeepFolder)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private void CreateGateways()
    {
        var settings = new Dictionary<string, string>(DeploymentOptions.DefaultSettings)
        {
            ["ConnectionStrings__Redis"] = RedisConnection,
            ["Auth__ApiKeys__load-lender"] = ApiKey,
            ["Partners__ycb__BaseUrl"] = Ycb.Url,
        };
        foreach (var (key, value) in _options.Settings)
        {
            settings[key] = value;
        }

        for (var i = 1; i <= _options.Instances; i++)
        {
            var name = _options.Instances == 1 ? "gateway" : $"gateway-{i}";
            _gateways.Add(new GatewayProcess(name, _options.GatewayDll, Folder, settings));
        }
    }
}
