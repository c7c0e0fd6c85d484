using System.Globalization;
using System.Net;
using FaultProxy;
using LoadDriver.Api;
using LoadDriver.Ledger;
using Orchestration;
using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace LoadDriver.Deployment;

/// <summary>
/// What ./sandbox runs, for load and chaos: a real Redis (one redis-server with AOF, or a
/// three-primary <see cref="RedisCluster"/>) on free loopback ports, the ycb, prb and SilkPay
/// simulators in this process (routing order ycb, prb, silkpay; or each as its own process with
/// <see cref="DeploymentOptions.SimulatorsOutOfProcess"/>), and one to three gateways as their own processes (<c>dotnet Gateway.dll</c>, each on
/// its own port, all sharing the Redis), in a temporary folder with their logs. Redis (single) and
/// each gateway can be killed and restarted.
/// </summary>
public sealed class LocalDeployment : IAsyncDisposable
{
    /// <summary>The client key the gateways accept (the shared sandbox client's, <see cref="GatewaySettings.ClientKey"/>).</summary>
    public const string ApiKey = GatewaySettings.ClientKey;

    /// <summary>The on-call key (<c>Auth:OpsKeys:load-on-call</c>) for <c>/v1/diagnostics/*</c>; obviously fake.</summary>
    public const string OnCallKey = GatewaySettings.OnCallKey;

    /// <summary>The operator key (<c>Auth:OperatorKeys</c>) for <c>POST /v1/state-store/accept-loss</c>; obviously fake.</summary>
    public const string OperatorKey = GatewaySettings.OperatorKey;

    private readonly DeploymentOptions _options;
    private readonly RedisProcess? _redis;
    private readonly List<GatewayProcess> _gateways = [];
    private IReadOnlySet<string> _warmedUp = new HashSet<string>();
    private PartnerProxySet? _partnerProxies;
    private readonly PartnerSimulators? _simulators;
    private readonly IReadOnlyList<SimulatorsProcess> _simulatorProcesses;
    private SimulatorsHttpLedger? _httpLedger;

    private LocalDeployment(DeploymentOptions options, string folder, RedisProcess? redis, RedisCluster? cluster, PartnerSimulators? simulators,
        IReadOnlyList<SimulatorsProcess> simulatorProcesses)
    {
        _options = options;
        if (options.RedisThroughProxy)
        {
            RedisProxy = TcpFaultProxy.Start(new IPEndPoint(IPAddress.Loopback, (redis ?? throw new InvalidOperationException(
                "RedisThroughProxy needs the single redis-server, not a cluster.")).Port));
        }

        Folder = folder;
        _redis = redis;
        Cluster = cluster;
        _simulators = simulators;
        _simulatorProcesses = simulatorProcesses;
    }

    public string Folder { get; }

    /// <summary>The single redis-server (for kills and restarts); a deployment on a cluster has none.</summary>
    public RedisProcess Redis => _redis ?? throw new InvalidOperationException("This deployment runs a Redis Cluster, not a single redis-server.");

    /// <summary>The Redis Cluster, when <see cref="DeploymentOptions.Redis"/> is <see cref="RedisTopology.Cluster"/>.</summary>
    public RedisCluster? Cluster { get; }

    /// <summary>The proxy between the gateways and Redis, when <see cref="DeploymentOptions.RedisThroughProxy"/>; otherwise null.</summary>
    public TcpFaultProxy? RedisProxy { get; }

    /// <summary>What the gateways get as <c>ConnectionStrings:Redis</c> (the proxy's address when there is one).</summary>
    public string RedisConnection => RedisProxy is { } proxy
        ? "127.0.0.1:" + proxy.Port.ToString(CultureInfo.InvariantCulture)
        : _redis?.Endpoint ?? Cluster!.ConnectionString;

    /// <summary>The in-process ycb simulator; not available with <see cref="DeploymentOptions.SimulatorsOutOfProcess"/>.</summary>
    public YcbSimulator Ycb => InProcess.Ycb;

    /// <summary>The in-process prb simulator; not available with <see cref="DeploymentOptions.SimulatorsOutOfProcess"/>.</summary>
    public PrbSimulator Prb => InProcess.Prb;

    /// <summary>The in-process SilkPay simulator; not available with <see cref="DeploymentOptions.SimulatorsOutOfProcess"/>.</summary>
    public SilkPaySimulator SilkPay => InProcess.SilkPay;

    /// <summary>The simulator process of <paramref name="partner"/> (<see cref="DeploymentOptions.SimulatorsOutOfProcess"/>), to freeze or kill.</summary>
    public SimulatorsProcess SimulatorProcess(string partner) =>
        _simulatorProcesses.FirstOrDefault(p => p.Partner == partner)
        ?? throw new InvalidOperationException($"This deployment runs no {partner} simulator process (DeploymentOptions.SimulatorsOutOfProcess is off).");

    /// <summary>The URL of partner <paramref name="partner"/>'s simulator (<c>ycb</c>, <c>prb</c>, <c>silkpay</c>), in or out of process.</summary>
    public string SimulatorUrl(string partner) => _simulators is { } simulators
        ? partner switch
        {
            "ycb" => simulators.Ycb.Url,
            "prb" => simulators.Prb.Url,
            "silkpay" => simulators.SilkPay.Url,
            _ => throw new ArgumentException($"unknown partner '{partner}'", nameof(partner)),
        }
        : SimulatorProcess(partner).BaseUrl;

    /// <summary>
    /// The fault proxy between the gateways and partner <paramref name="partner"/> (<c>ycb</c>, <c>prb</c>,
    /// <c>silkpay</c>), when <see cref="DeploymentOptions.PartnerProxies"/>; otherwise null.
    /// </summary>
    public TcpFaultProxy? PartnerProxy(string partner) => _partnerProxies?.For(partner);

    /// <summary>The gateway instances, in the order of <see cref="Targets"/>.</summary>
    public IReadOnlyList<GatewayProcess> Gateways => _gateways;

    /// <summary>The first gateway's URL.</summary>
    public Uri GatewayUrl => _gateways[0].Url;

    /// <summary>The first gateway's log.</summary>
    public string GatewayLog => _gateways[0].LogPath;

    /// <summary>What the three simulators executed.</summary>
    public IPartnerLedger Ledger => _simulators is { } simulators
        ? new SimulatorLedger(simulators.Ycb, simulators.Prb, simulators.SilkPay) { Excluded = _warmedUp }
        : _httpLedger ??= new SimulatorsHttpLedger(
            new Uri(SimulatorUrl("ycb")), new Uri(SimulatorUrl("prb")), new Uri(SimulatorUrl("silkpay"))) { Excluded = _warmedUp };

    private PartnerSimulators InProcess => _simulators
        ?? throw new InvalidOperationException("This deployment runs the simulators out of process (DeploymentOptions.SimulatorsOutOfProcess): "
            + "use SimulatorProcess(partner) and its control API, not the in-process simulators.");

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

        List<SimulatorsProcess> processes = [];
        if (options.SimulatorsOutOfProcess)
        {
            try
            {
                var dll = options.SimulatorsDll ?? RepositoryLayout.SimulatorsDll();
                foreach (var partner in SimulatorsProcess.Partners)
                {
                    processes.Add(await SimulatorsProcess.StartAsync(dll, partner, folder, options.SlowDelay, options.SettleAfter,
                        cancellationToken: cancellationToken));
                }
            }
            catch
            {
                foreach (var process in processes)
                {
                    await process.DisposeAsync();
                }

                await (redis?.DisposeAsync() ?? ValueTask.CompletedTask);
                await (cluster?.DisposeAsync() ?? ValueTask.CompletedTask);
                throw;
            }
        }

        var deployment = new LocalDeployment(options, folder, redis, cluster,
            options.SimulatorsOutOfProcess ? null : PartnerSimulators.Start(options), processes);
        try
        {
            if (options.PartnerProxies)
            {
                deployment._partnerProxies = PartnerProxySet.Start(
                    deployment.SimulatorUrl("ycb"), deployment.SimulatorUrl("prb"), deployment.SimulatorUrl("silkpay"));
            }

            deployment.CreateGateways();
            foreach (var gateway in deployment._gateways)
            {
                gateway.Start();
            }

            await Task.WhenAll(deployment._gateways.Select(g => g.WaitReadyAsync(cancellationToken: cancellationToken)));
            deployment._warmedUp = await PartnerWarmUp.RunAsync(deployment.Clients(TimeSpan.FromSeconds(30)), cancellationToken);
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
        await gateway.WaitReadyAsync(cancellationToken: cancellationToken);
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

        if (RedisProxy is not null)
        {
            await RedisProxy.DisposeAsync();
        }

        if (_partnerProxies is not null)
        {
            await _partnerProxies.DisposeAsync();
        }

        _simulators?.Ycb.Dispose();
        _simulators?.Prb.Dispose();
        _simulators?.SilkPay.Dispose();
        _httpLedger?.Dispose();
        foreach (var process in _simulatorProcesses)
        {
            await process.DisposeAsync();
        }

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

    /// <summary>The partner base URLs the gateways get: the simulators', or their proxies' with <see cref="DeploymentOptions.PartnerProxies"/>.</summary>
    private PartnerUrls GatewayPartnerUrls() => _partnerProxies is { } proxies
        ? new PartnerUrls(
            Ycb: PartnerProxySet.Through(proxies.Ycb, SimulatorUrl("ycb")),
            Prb: PartnerProxySet.Through(proxies.Prb, SimulatorUrl("prb")),
            SilkPay: PartnerProxySet.Through(proxies.SilkPay, SimulatorUrl("silkpay")))
        : new PartnerUrls(Ycb: SimulatorUrl("ycb"), Prb: SimulatorUrl("prb"), SilkPay: SimulatorUrl("silkpay"));

    private void CreateGateways()
    {
        // The shared settings (tools/Orchestration/GatewaySettings.cs), the load suite's overlay, then the caller's.
        var settings = GatewaySettings.With(
            GatewaySettings.Environment(RedisConnection, GatewayPartnerUrls(), DeploymentOptions.Overlay), _options.Settings);
        for (var i = 1; i <= _options.Instances; i++)
        {
            var name = _options.Instances == 1 ? "gateway" : $"gateway-{i}";
            _gateways.Add(new GatewayProcess(_options.GatewayDll, settings, Folder, name));
        }
    }
}

/// <summary>The fault proxies in front of the three simulators (<see cref="DeploymentOptions.PartnerProxies"/>).</summary>
internal sealed record PartnerProxySet(TcpFaultProxy Ycb, TcpFaultProxy Prb, TcpFaultProxy SilkPay) : IAsyncDisposable
{
    public static PartnerProxySet Start(string ycbUrl, string prbUrl, string silkPayUrl) =>
        new(Proxy(ycbUrl), Proxy(prbUrl), Proxy(silkPayUrl));

    public TcpFaultProxy? For(string partner) => partner switch
    {
        "ycb" => Ycb,
        "prb" => Prb,
        "silkpay" => SilkPay,
        _ => null,
    };

    /// <summary>The URL the gateways get for a simulator at <paramref name="url"/>: the same, through its proxy.</summary>
    public static string Through(TcpFaultProxy proxy, string url) =>
        new UriBuilder(url) { Host = "127.0.0.1", Port = proxy.Port }.Uri.ToString().TrimEnd('/');

    public async ValueTask DisposeAsync()
    {
        await Ycb.DisposeAsync();
        await Prb.DisposeAsync();
        await SilkPay.DisposeAsync();
    }

    private static TcpFaultProxy Proxy(string url)
    {
        var uri = new Uri(url);
        return TcpFaultProxy.Start(new IPEndPoint(IPAddress.Loopback, uri.Port));
    }
}

/// <summary>The three partner simulators of a deployment, started with its slow and settle times.</summary>
internal sealed record PartnerSimulators(YcbSimulator Ycb, PrbSimulator Prb, SilkPaySimulator SilkPay)
{
    public static PartnerSimulators Start(DeploymentOptions options)
    {
        var ycb = YcbSimulator.Start(new YcbSimulatorOptions { Port = ChildProcess.FreePort(), SlowDelay = options.SlowDelay, SettleAfter = options.SettleAfter });
        var prb = PrbSimulator.Start(new PrbSimulatorOptions { Port = ChildProcess.FreePort(), SlowDelay = options.SlowDelay, SettleAfter = options.SettleAfter });
        var silkpay = SilkPaySimulator.Start(new SilkPaySimulatorOptions { Port = ChildProcess.FreePort(), SlowDelay = options.SlowDelay, SettleAfter = options.SettleAfter });
        return new PartnerSimulators(ycb, prb, silkpay);
    }
}
