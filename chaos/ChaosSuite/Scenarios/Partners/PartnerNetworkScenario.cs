using FaultProxy;
using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios.Partners;

/// <summary>
/// A network fault between the gateways and one partner (<see cref="NetworkFault"/>), switched on the
/// <see cref="TcpFaultProxy"/> in front of its simulator for the window and cleared after it. Needs
/// a deployment with <see cref="DeploymentOptions.PartnerProxies"/>. Payouts the partner never
/// received may fail with the declared causes (or, routed, succeed at the next partner); one it
/// executed (a request through, its answer lost or late) must end succeeded, executed once.
/// </summary>
internal sealed class PartnerNetworkScenario(string partner, NetworkFault fault) : IPartnerScenario
{
    /// <summary>
    /// How long before the fault starts a payout may have been submitted and still be in flight at the partner when
    /// it strikes (reset, its bytes dropped): an attempt timeout (1.5 s) and a retry's. The window starts that much earlier.
    /// </summary>
    public static readonly TimeSpan InFlightLead = TimeSpan.FromSeconds(3);

    public string Partner => partner;

    public NetworkFault Fault => fault;

    public string Name => $"{partner}-{Suffix(fault)}";

    public string Description => fault switch
    {
        NetworkFault.Latency => $"900 ms ± 700 ms latency each way between the gateway and {partner}",
        NetworkFault.Reset => $"connections to {partner} reset (open ones at the start, new ones during the window)",
        NetworkFault.BlackHole => $"every byte between the gateway and {partner} dropped (black hole)",
        _ => $"{partner}'s answers dropped, requests still delivered (half-open)",
    };

    public string? PendingReason => null;

    public IReadOnlySet<string> MayCause { get; } = new HashSet<string>(Causes(fault), StringComparer.Ordinal);

    public TimeSpan Grace => PartnerScenarios.BreakerGrace;

    public bool NeedsPartnerProxies => true;

    public string SuggestedMix => PartnerScenarios.MixFor(partner);

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(log);
        var proxy = deployment.PartnerProxy(partner)
            ?? throw new InvalidOperationException($"{Name} needs a deployment with DeploymentOptions.PartnerProxies (a fault proxy in front of {partner}).");
        return new ScenarioPlan(
            new LoadHooks
            {
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    var from = log.Note($"{Name} starts: {Description}");
                    try
                    {
                        switch (fault)
                        {
                            case NetworkFault.Latency:
                                proxy.SetFault(FaultProxy.Fault.Latency(TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(700)));
                                break;
                            case NetworkFault.Reset:
                                proxy.SetFault(FaultProxy.Fault.ResetAll);
                                proxy.SetFault(FaultProxy.Fault.ResetNew);
                                break;
                            case NetworkFault.BlackHole:
                                proxy.SetFault(FaultProxy.Fault.BlackHole);
                                break;
                            default:
                                proxy.SetFault(FaultProxy.Fault.HalfOpen);
                                break;
                        }

                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        proxy.ClearFaults();
                        var stats = proxy.Stats;
                        log.Window(Name, from - InFlightLead, log.Note($"{Name} ends (proxy: {stats})"), MayCause, Grace);
                    }
                },
            },
            log.Policy(new CheckPolicy { RequireAllFinal = false }));
    }

    /// <summary>
    /// The causes a payout the partner never executed may end with: a timeout where the request may have been
    /// delivered and no answer came, unavailable where the connection was refused or reset, and the breaker's.
    /// </summary>
    internal static IEnumerable<string> Causes(NetworkFault fault) => fault switch
    {
        NetworkFault.Reset => ["PARTNER_UNAVAILABLE", "PARTNER_CIRCUIT_OPEN", "NO_ROUTE"],
        _ => ["PARTNER_TIMEOUT", "PARTNER_CIRCUIT_OPEN", "NO_ROUTE"],
    };

    private static string Suffix(NetworkFault fault) => fault switch
    {
        NetworkFault.Latency => "latency",
        NetworkFault.Reset => "reset",
        NetworkFault.BlackHole => "blackhole",
        _ => "half-open",
    };
}
