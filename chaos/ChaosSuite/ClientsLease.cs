using LoadDriver.Api;

namespace ChaosSuite;

/// <summary>Disposes a scenario's gateway clients (one per instance) when the scenario is done.</summary>
internal sealed class ClientsLease(IReadOnlyList<GatewayClient> clients) : IDisposable
{
    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
