using System.Diagnostics.Metrics;
using Gateway.Core;

namespace Gateway.Partners;

/// <summary>
/// The gateway's own instruments on the <c>Gateway</c> meter, exported for Prometheus
/// (<see cref="TelemetrySetup"/>): payouts by final status, partner and cause; partner call
/// latency by partner, call kind and outcome; each partner's breaker state; and disbursements
/// that found a partner's quota saturated, by partner and outcome (queued or refused). Labels are
/// bounded sets (partners, causes, outcome labels), never payout ids or beneficiary data.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    /// <summary>Seconds; partner calls range from a few milliseconds to the total timeout.</summary>
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _payouts;
    private readonly Histogram<double> _calls;
    private readonly Counter<long> _quotaSaturated;
    private IReadOnlyList<Partner> _partners = [];

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _payouts = meter.CreateCounter<long>("gateway.payouts.completed", "{payout}",
            "Payouts that reached a final status, by status, partner and cause (none when succeeded).");
        _calls = meter.CreateHistogram<double>("gateway.partner.call.duration", "s",
            "Duration of each partner call attempt, by partner, call (disburse or inquiry) and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        meter.CreateObservableGauge("gateway.partner.circuit.state",
            () => _partners.Select(p => new Measurement<int>(CircuitValue(p.Circuit.State),
                new KeyValuePair<string, object?>("partner", p.Name))),
            "{state}", "Breaker state per partner: 0 closed, 1 half-open, 2 open.");
        _quotaSaturated = meter.CreateCounter<long>("gateway.partner.quota.saturated", "{disbursement}",
            "Disbursements that found the partner's configured quota used up, by partner and outcome: queued (waited for a permit) or refused (never sent).");
    }

    /// <summary>The partners whose breaker state the gauge reports: set once by <see cref="PartnerRegistry"/>.</summary>
    internal void Observe(IReadOnlyList<Partner> partners) => _partners = partners;

    public void PartnerQuotaSaturated(string partner, string outcome) => _quotaSaturated.Add(1,
        new KeyValuePair<string, object?>("partner", partner),
        new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Called once per payout, by the save that made its status final.</summary>
    public void PayoutCompleted(PayoutRecord payout) => _payouts.Add(1,
        new KeyValuePair<string, object?>("status", payout.Status == PayoutStatus.Succeeded ? "succeeded" : "failed"),
        new KeyValuePair<string, object?>("partner", payout.Partner),
        new KeyValuePair<string, object?>("cause", payout.Failure?.Cause ?? "none"));

    public void PartnerCallFinished(string partner, string call, string outcome, TimeSpan elapsed) => _calls.Record(elapsed.TotalSeconds,
        new KeyValuePair<string, object?>("partner", partner),
        new KeyValuePair<string, object?>("call", call),
        new KeyValuePair<string, object?>("outcome", outcome));

    internal static int CircuitValue(string state) => state switch
    {
        "open" => 2,
        "half_open" => 1,
        _ => 0,
    };
}
