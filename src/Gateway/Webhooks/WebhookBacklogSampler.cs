using System.Diagnostics.Metrics;
using Gateway.Hosting;
using Gateway.Partners;
using Gateway.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// Reads the webhook outbox's backlog in the background, never on a scrape, as
/// <see cref="PayoutBacklogSampler"/> does for payouts: every <see cref="BacklogSamplerOptions.BacklogSampleInterval"/>
/// (15 s) one bounded read per shard (<see cref="IWebhookOutbox.CountsAsync"/>: lengths, and a scan of at
/// most <see cref="WebhookOutbox.MaxOldestScan"/> entries past the dead letters at the stream's head).
/// Gauges: <c>gateway.webhook.outbox.undelivered</c> (not delivered, not dead-lettered),
/// <c>gateway.webhook.outbox.retrying</c>, <c>gateway.webhook.outbox.dead_letters</c> (stored) and
/// <c>gateway.webhook.outbox.oldest.age</c> (seconds since the oldest undelivered event was recorded;
/// 0 when none, computed at scrape time from the sampled timestamp, so it keeps growing while Redis is away).
/// Every instance reads the same Redis, so every instance reports the same figures: aggregate with
/// <c>max</c>, never <c>sum</c>. Runs on every instance, dispatcher enabled or not; a failed read keeps
/// the last good sample.
/// </summary>
public sealed class WebhookBacklogSampler : BackgroundService
{
    private readonly IWebhookOutbox _outbox;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookBacklogSampler> _log;
    private volatile OutboxCounts? _last;

    public WebhookBacklogSampler(IWebhookOutbox outbox, IOptions<BacklogSamplerOptions> options, IMeterFactory meters,
        TimeProvider time, ILogger<WebhookBacklogSampler> log)
    {
        _outbox = outbox;
        _interval = options.Value.BacklogSampleInterval;
        _time = time;
        _log = log;
        var meter = meters.Create(GatewayMetrics.MeterName);
        meter.CreateObservableGauge("gateway.webhook.outbox.undelivered", () => _last?.Undelivered ?? 0, "{event}",
            "Webhook outbox entries not yet delivered and not dead-lettered (new, in flight or waiting for a retry); sampled, the same on every instance.");
        meter.CreateObservableGauge("gateway.webhook.outbox.retrying", () => _last?.Retrying ?? 0, "{event}",
            "Webhook outbox entries waiting for a retry; sampled, the same on every instance.");
        meter.CreateObservableGauge("gateway.webhook.outbox.dead_letters", () => _last?.DeadLetters ?? 0, "{event}",
            "Dead-lettered webhook events stored (until WebhookDelivery:DeadLetterRetention); sampled, the same on every instance.");
        meter.CreateObservableGauge("gateway.webhook.outbox.oldest.age", OldestAgeSeconds, "s",
            "Age of the oldest webhook event not yet delivered nor dead-lettered (0 when none); sampled, the same on every instance.");
    }

    /// <summary>The last good sample (null before the first).</summary>
    public OutboxCounts? Last => _last;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new BackgroundLoop("webhook-backlog-sampler", _interval, TimeSpan.FromMinutes(1), RunFirstAtOnce: true)
            .RunAsync(_ => SampleOnceAsync(), _time, _log, stoppingToken);

    /// <summary>One read of every shard; caches and returns it.</summary>
    public async Task<OutboxCounts> SampleOnceAsync()
    {
        var counts = await _outbox.CountsAsync(_time.GetUtcNow());
        _last = counts;
        return counts;
    }

    private double OldestAgeSeconds() =>
        _last?.OldestUndeliveredAt is { } at ? Math.Max(0, (_time.GetUtcNow() - at).TotalSeconds) : 0;
}
