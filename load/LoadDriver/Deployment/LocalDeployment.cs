using System.Diagnostics;
using LoadDriver.Api;
using LoadDriver.Ledger;
using Orchestration;
using Simulators.Ycb;

namespace LoadDriver.Deployment;

/// <summary>
/// What ./sandbox runs, for load and chaos: a real redis-server (AOF) on a free loopback port, the
/// ycb simulator in this process, and the gateway as its own process (<c>dotnet Gateway.dll</c>),
/// each in a temporary folder with its logs. Redis and the gateway can be killed and restarted.
/// </summary>
public sealed class LocalDeployment : IAsyncDisposable
{
    public const string ApiKey = "load-lender-key-not-secret";

    private readonly DeploymentOptions _options;
    private ChildProcess? _gateway;
    private int _gatewayStarts;

    private LocalDeployment(DeploymentOptions options, string folder, RedisProcess redis, YcbSimulator ycb, int gatewayPort)
    {
        _options = options;
        Folder = folder;
        Redis = redis;
        Ycb = ycb;
        GatewayUrl = new Uri($"http://127.0.0.1:{gatewayPort}");
    }

    public string Folder { get; }

    public RedisProcess Redis { get; }

    public YcbSimulator Ycb { get; }

    public Uri GatewayUrl { get; }

    public string GatewayLog => Path.Combine(Folder, "gateway.log");

    public IPartnerLedger Ledger => new SimulatorLedger(Ycb);

    public static async Task<LocalDeployment> StartAsync(DeploymentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Directory.CreateTempSubdirectory("gateway-load-").FullName;
        var redis = await RedisProcess.StartNewAsync(folder, cancellationToken: cancellationToken);
        var ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = options.SlowDelay, SettleAfter = options.SettleAfter });
        var deployment = new LocalDeployment(options, folder, redis, ycb, ChildProcess.FreePort());
        try
        {
            await deployment.StartGatewayAsync(cancellationToken);
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the gateway (again) on its port and waits for <c>/health/ready</c>.</summary>
    public async Task StartGatewayAsync(CancellationToken cancellationToken = default)
    {
        if (_gateway is { HasExited: false })
        {
            return;
        }

        var settings = new Dictionary<string, string>(DeploymentOptions.DefaultSettings)
        {
            ["ASPNETCORE_URLS"] = GatewayUrl.ToString().TrimEnd('/'),
            ["ConnectionStrings__Redis"] = Redis.Endpoint,
            ["Auth__ApiKeys__load-lender"] = ApiKey,
            ["Partners__ycb__BaseUrl"] = Ycb.Url,
        };
        foreach (var (key, value) in _options.Settings)
        {
            settings[key] = value;
        }

        var dll = Path.GetFullPath(_options.GatewayDll);
        var log = _gatewayStarts++ == 0 ? GatewayLog : Path.Combine(Folder, $"gateway.{_gatewayStarts}.log");
        _gateway = ChildProcess.Start("dotnet", [dll], log, settings, Path.GetDirectoryName(dll));
        await WaitReadyAsync(log, cancellationToken);
    }

    /// <summary>
    /// SIGKILL of the gateway: executions in flight stop where they are. Kept for the gateway-kill
    /// chaos scenario, which waits for the reconciler (chaos/ChaosSuite/Scenarios/GatewayKillScenario.cs).
    /// </summary>
    public async Task KillGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
            _gateway = null;
        }
    }

    public GatewayClient Client(TimeSpan requestTimeout) => new(GatewayUrl, ApiKey, requestTimeout);

    public async ValueTask DisposeAsync()
    {
        await KillGatewayAsync();
        Ycb.Dispose();
        await Redis.DisposeAsync();
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

    private async Task WaitReadyAsync(string log, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_gateway is null || _gateway.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited during start-up; see {log}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The gateway did not become ready within 60 s; see {log}.");
    }
}
