using System.Diagnostics.Metrics;
using Gateway.Partners;

namespace Gateway.Storage;

/// <summary>
/// How payouts change hands between instances (the leases of <see cref="PayoutLeases"/>), on the <see cref="GatewayMetrics.MeterName"/> meter:
/// reconciler takeovers, hand-overs at shutdown, leases lost to another instance, writes and send
/// intents refused by the fencing token, and the leases this instance holds now. The counters are
/// observable over in-process totals, so every series is exported (at 0) from the first scrape and
/// <c>increase()</c> sees the first event. Labels are bounded (the refused write's kind), never payout ids.
/// </summary>
public sealed class RecoveryMetrics
{
    private long _takeovers;
    private long _handOvers;
    private long _leasesLost;
    private long _fencedIntents;
    private long _fencedSaves;

    public RecoveryMetrics(IMeterFactory meters, PayoutLeases leases)
    {
        var meter = meters.Create(GatewayMetrics.MeterName);
        meter.CreateObservableCounter("gateway.recovery.takeovers", () => Volatile.Read(ref _takeovers), "{payout}",
            "Payouts the reconciler took over (their owner's lease had lapsed) and resumed by inquiry.");
        meter.CreateObservableCounter("gateway.recovery.handovers", () => Volatile.Read(ref _handOvers), "{payout}",
            "Payouts still unresolved when this instance shut down, left due with their lease released for another instance.");
        meter.CreateObservableCounter("gateway.recovery.leases.lost", () => Volatile.Read(ref _leasesLost), "{lease}",
            "Leases this instance could not renew because another instance had taken the payout over.");
        meter.CreateObservableCounter("gateway.recovery.fencing.refusals", () => new[]
            {
                new Measurement<long>(Volatile.Read(ref _fencedIntents), new KeyValuePair<string, object?>("write", "intent")),
                new Measurement<long>(Volatile.Read(ref _fencedSaves), new KeyValuePair<string, object?>("write", "save")),
            },
            "{write}", "Writes refused because another instance holds a newer fencing token, by write: intent (a send never made) or save.");
        meter.CreateObservableGauge("gateway.recovery.leases.held", () => (long)leases.HeldCount, "{lease}",
            "Leases on processing payouts this instance holds (and renews) now.");
    }

    /// <summary>The reconciler took a lapsed lease and resumes the payout.</summary>
    public void TookOver() => Interlocked.Increment(ref _takeovers);

    /// <summary>The instance is shutting down and handed an unresolved payout over.</summary>
    public void HandedOver() => Interlocked.Increment(ref _handOvers);

    /// <summary>A renewal found the lease in another instance's hands.</summary>
    public void LeaseLost() => Interlocked.Increment(ref _leasesLost);

    /// <summary>The fencing token refused a write: <paramref name="write"/> is <c>intent</c> or <c>save</c>.</summary>
    public void FencingRefused(string write)
    {
        if (write == "intent")
        {
            Interlocked.Increment(ref _fencedIntents);
        }
        else
        {
            Interlocked.Increment(ref _fencedSaves);
        }
    }
}
