using Orchestration;

namespace Sandbox;

/// <summary>
/// N gateway processes of the sandbox (Orchestration's <see cref="GatewayProcess"/>) sharing one
/// Redis, each on its own loopback port with its own log (<c>gateway.log</c>, or <c>gateway-1.log</c>, ...).
/// </summary>
internal sealed class GatewayFleet : IAsyncDisposable
{
    private readonly List<GatewayInstance> _instances = [];

    public IReadOnlyList<GatewayInstance> Instances => _instances;

    public GatewayInstance this[int index] => _instances[index % _instances.Count];

    /// <summary>Starts <paramref name="count"/> gateways with the same <paramref name="environment"/> but their own URLs.</summary>
    public static GatewayFleet Start(int count, string gatewayDll, string work, IReadOnlyDictionary<string, string> environment)
    {
        var fleet = new GatewayFleet();
        for (var i = 1; i <= count; i++)
        {
            var process = new GatewayProcess(gatewayDll, environment, work, count == 1 ? "gateway" : $"gateway-{i}");
            fleet._instances.Add(new GatewayInstance($"gw{i}", process));
            process.Start();
        }

        return fleet;
    }

    public Task WaitReadyAsync(TimeSpan within) => Task.WhenAll(_instances.Select(i => i.Process.WaitReadyAsync(within)));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }
}
