using Orchestration;

namespace Sandbox;

/// <summary>
/// N gateway processes of the sandbox sharing one Redis, each on its own loopback port with its own
/// log (<c>gateway-1.log</c>, ...); an instance names itself in payout leases by machine, process id
/// and a random id (the gateway has no instance-id setting), so they differ by port and process.
/// </summary>
internal sealed class GatewayFleet : IAsyncDisposable
{
    private readonly List<GatewayInstance> _instances = [];

    public IReadOnlyList<GatewayInstance> Instances => _instances;

    public GatewayInstance this[int index] => _instances[index % _instances.Count];

    /// <summary>Starts <paramref name="count"/> gateways with the same <paramref name="settings"/> (environment variables) but their own URLs.</summary>
    public static GatewayFleet Start(int count, string gatewayDll, string work, IReadOnlyDictionary<string, string> settings,
        string apiKey, string opsKey)
    {
        var fleet = new GatewayFleet();
        for (var i = 1; i <= count; i++)
        {
            var url = $"http://127.0.0.1:{ChildProcess.FreePort()}";
            var log = Path.Combine(work, count == 1 ? "gateway.log" : $"gateway-{i}.log");
            var environment = new Dictionary<string, string>(settings) { ["ASPNETCORE_URLS"] = url };
            var process = ChildProcess.Start("dotnet", [Path.GetFullPath(gatewayDll)], log, environment,
                workingDirectory: Path.GetDirectoryName(Path.GetFullPath(gatewayDll)));
            fleet._instances.Add(new GatewayInstance($"gw{i}", url, log, process, apiKey, opsKey));
        }

        return fleet;
    }

    public Task WaitReadyAsync(TimeSpan within) => Task.WhenAll(_instances.Select(i => i.WaitReadyAsync(within)));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }
}
