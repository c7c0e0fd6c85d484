using LoadDriver.Payouts;

namespace LoadDriver.Api;

/// <summary>
/// The gateway instances a run sends to (one client each, loopback only), spread by
/// <see cref="InstanceRouter"/>. The first instance also serves the drain (resubmissions, reads):
/// instances share one Redis, so any of them can answer for any payout. Does not own the clients.
/// </summary>
public sealed class GatewayTargets
{
    public GatewayTargets(IReadOnlyList<GatewayClient> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentOutOfRangeException.ThrowIfZero(clients.Count);
        for (var i = 0; i < clients.Count; i++)
        {
            if (clients[i].Instance != i)
            {
                throw new ArgumentException($"client {i} is numbered instance {clients[i].Instance}.", nameof(clients));
            }
        }

        Clients = clients;
    }

    public IReadOnlyList<GatewayClient> Clients { get; }

    public int Count => Clients.Count;

    public GatewayClient Primary => Clients[0];

    public static GatewayTargets Of(GatewayClient client) => new([client]);

    public int InstanceFor(PlannedPayout payout) => InstanceRouter.Route(payout, Count);

    public GatewayClient For(PlannedPayout payout) => Clients[InstanceFor(payout)];
}
