using System.Diagnostics.Metrics;
using Gateway.Partners;
using Gateway.Storage;

namespace Gateway.Recovery;

/// <summary>
/// How payouts change hands between instances, on the <see cref="GatewayMetrics.MeterName"/> meter:
/// reconciler takeovers, hand-overs at shutdown, leases lost to another instance, writes and send
/// intents refused by the fencing token, and the leases this instance holds now. Labels are
/// bounded (the refused write's kind), never payout ids.
/// </summary>
public sealed class RecoveryMetrics
{
    private readonly Counter<long> _takeovers;
    private readonly Counter<long> _handOvers;
    private readonly Counter<long> _leasesLost;
    private readonly Counter<long> _fenced;

    public RecoveryMetrics(IMeterFactory meters, PayoutLeases leases)
    {
        var meter = meters.Create(GatewayMetrics.MeterName);
        _takeovers = meter.CreateCounter<long>("gateway.recovery.takeovers", "{payout}",
            "Payouts the reconciler took over (their owner's lease had lapsed) and resumed by inquiry.");
        _handOvers = meter.CreateCounter<long>("gateway.recovery.handovers", "{payout}",
            "Payouts still unresolved when this instance shut down, left due with their lease released for another instance.");
        _leasesLost = meter.CreateCounter<long>("gateway.recovery.leases.lost", "{lease}",
            "Leases this instance could not renew because another instance had taken the payout over.");
        _fenced = meter.CreateCounter<long>("gateway.recovery.fencing.refusals", "{write}",
            "Writes refused because another instance holds a newer fencing token, by write: intent (a send never made) or save.");
        meter.CreateObservableGauge("gateway.recovery.leases.held", () => (long)leases.HeldCount, "{lease}",
            "Leases on processing payouts this instance holds (and renews) now.");
    }

    /// <summary>The reconciler took a lapsed lease and resumes the payout.</summary>
    public void TookOver() => _takeovers.Add(1);

    /// <summary>The instance is shutting down and handed an unresolved payout over.</summary>
    public void HandedOver() => _handOvers.Add(1);

    /// <summary>A renewal found the lease in another instance's hands.</summary>
    public void LeaseLost() => _leasesLost.Add(1);

    /// <summary>The fencing token refused a write: <paramref name="write"/> is <c>intent</c> or <c>save</c>.</summary>
    public void FencingRefused(string write) => _fenced.Add(1, new KeyValuePair<string, object?>("write", write));
}
