using System.Diagnostics.Metrics;
using Gateway.Partners;

namespace Gateway.Webhooks;

/// <summary>
/// Webhook delivery on the <see cref="GatewayMetrics.MeterName"/> meter: every attempt by outcome
/// (<c>gateway_webhook_deliveries_total{client,endpoint,outcome="delivered|failed|circuit_open"}</c>) and every event
/// dead-lettered (<c>gateway_webhook_dead_letters_total</c>), by client, and dead letters deleted after their
/// retention (<c>gateway_webhook_dead_letters_purged_total</c>). An alert on dead letters, or on
/// failures without deliveries, tells on-call that a receiver is down before its client notices.
/// </summary>
public sealed class WebhookMetrics
{
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _purged;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GatewayMetrics.MeterName);
        _deliveries = meter.CreateCounter<long>("gateway.webhook.deliveries", "{attempt}",
            "Webhook delivery attempts by outcome: delivered (2xx), failed (another answer or none), circuit_open (not tried).");
        _deadLetters = meter.CreateCounter<long>("gateway.webhook.dead_letters", "{event}",
            "Webhook events whose retries ran out (or whose endpoint is no longer configured).");
        _purged = meter.CreateCounter<long>("gateway.webhook.dead_letters.purged", "{event}",
            "Dead letters deleted after WebhookDelivery:DeadLetterRetention.");
    }

    /// <summary>One attempt to <paramref name="endpoint"/> (its name, never its URL) of <paramref name="client"/>.</summary>
    public void Attempted(string client, string endpoint, DeliveryOutcome outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("client", client), new KeyValuePair<string, object?>("endpoint", endpoint),
            new KeyValuePair<string, object?>("outcome", outcome switch
        {
            DeliveryOutcome.Delivered => "delivered",
            DeliveryOutcome.CircuitOpen => "circuit_open",
            _ => "failed",
        }));

    public void DeadLettered(string client) => _deadLetters.Add(1, new KeyValuePair<string, object?>("client", client));

    public void Purged(int count) => _purged.Add(count);
}
