using Gateway.Hosting;
using Gateway.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// Delivers the webhook outbox (payout-api.md, "Webhooks"), on every instance, off the payout path:
/// payouts only ever append to the outbox inside their final save, so a slow or failing receiver
/// costs them nothing. Each pass, for every shard's stream: entries pending with an instance silent
/// for <see cref="WebhookDeliveryOptions.ClaimIdle"/> are taken over (<c>XAUTOCLAIM</c>: it died
/// mid-delivery), new entries are read through the consumer group (consumer = this instance), and
/// due retries are taken (leased for <see cref="WebhookDeliveryOptions.ClaimIdle"/>). Each entry is
/// sent once per take (<see cref="WebhookDelivery"/>); a 2xx deletes it; anything else schedules it
/// again after <see cref="RetryDelay"/> (exponential, jittered) until
/// <see cref="WebhookDeliveryOptions.RetryFor"/> after it was recorded, then it is dead-lettered.
/// At least once: an entry leaves the outbox only after a 2xx or into the dead letters; a crash at
/// any point leaves it pending or leased, and another instance (or this one restarted) sends it again.
/// <para>
/// Order: a payout has one final status, which never changes, so one event (per endpoint): there is
/// no second event of the same payout to overtake the first.
/// </para>
/// <para>
/// Endpoints are looked up at each delivery (<see cref="WebhookEndpoints"/> follows configuration reloads).
/// Every <see cref="HousekeepingInterval"/> a pass also prunes silent consumers and deletes dead letters
/// older than <see cref="WebhookDeliveryOptions.DeadLetterRetention"/>. An entry this instance is still
/// delivering is not started a second time when taken again (its own <c>XAUTOCLAIM</c> or a lapsed retry lease).
/// </para>
/// <para>Deliveries run concurrently (<see cref="WebhookDeliveryOptions.Concurrency"/>) and are not awaited
/// by the pass: a receiver that takes its full timeout delays no other endpoint's events.</para>
/// </summary>
public sealed partial class WebhookDispatcher(
    IWebhookOutbox outbox,
    WebhookEndpoints endpoints,
    WebhookDelivery delivery,
    WebhookMetrics metrics,
    InstanceIdentity instance,
    IOptions<WebhookDeliveryOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> log) : BackgroundService
{
    // Created at the first pass: the constructor reads no options, so a bad setting is reported with every other at start-up.
    private SemaphoreSlim? _slots;
    private readonly HashSet<Task> _inFlight = [];
    // Entries (shard/entry id) this instance is delivering: one taken again meanwhile (its own XAUTOCLAIM
    // after ClaimIdle, or its retry lease lapsing while the attempt still runs) is not sent a second time at once.
    private readonly HashSet<string> _inFlightEntries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _deliveries = new();
    private bool _groupsReady;
    private DateTimeOffset _nextPrune;

    /// <summary>How long a consumer (an instance) must have been silent, with nothing pending, before it is removed from the groups.</summary>
    public static readonly TimeSpan ConsumerRetention = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs while no endpoint is configured too: endpoints follow configuration reloads.
        if (!options.Value.Enabled)
        {
            return;
        }

        await new BackgroundLoop("webhooks", options.Value.PollInterval, TimeSpan.FromSeconds(30), RunFirstAtOnce: true)
            .RunAsync(PassAsync, time, log, stoppingToken);

        Task[] running;
        lock (_gate)
        {
            running = [.. _inFlight];
        }

        // Stopping (SIGTERM): deliveries in flight may finish within their attempt timeout and record
        // their result; any still running then is cancelled and stays pending or leased, so another
        // instance (or the next start) sends it again.
        try
        {
            await Task.WhenAll(running).WaitAsync(options.Value.AttemptTimeout + TimeSpan.FromSeconds(1), time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            await _deliveries.CancelAsync();
        }
    }

    public override void Dispose()
    {
        _deliveries.Dispose();
        _slots?.Dispose();
        base.Dispose();
    }

    /// <summary>One pass over every shard; deliveries are started, not awaited.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        if (!_groupsReady)
        {
            await outbox.EnsureGroupsAsync();
            _groupsReady = true;
        }

        var settings = options.Value;
        var slots = _slots ??= new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        if (time.GetUtcNow() >= _nextPrune)
        {
            _nextPrune = time.GetUtcNow() + HousekeepingInterval;
            await HousekeepingAsync();
        }

        if (!endpoints.All.Any())
        {
            return;
        }

        foreach (var shard in PayoutKeys.AllShards)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var free = slots.CurrentCount;
            if (free == 0)
            {
                return;
            }

            var take = Math.Min(free, settings.BatchSize);
            var entries = new List<OutboxEntry>();
            entries.AddRange(await outbox.ClaimStaleAsync(shard, instance.Id, settings.ClaimIdle, take));
            if (entries.Count < take)
            {
                entries.AddRange(await outbox.ReadNewAsync(shard, instance.Id, take - entries.Count));
            }

            if (entries.Count < take)
            {
                entries.AddRange(await outbox.TakeDueRetriesAsync(shard, time.GetUtcNow(), settings.ClaimIdle, take - entries.Count));
            }

            foreach (var entry in entries)
            {
                if (!TryMarkInFlight(entry))
                {
                    Log.AlreadyInFlight(log, entry.PayoutId, entry.EventId, entry.Endpoint);
                    continue;
                }

                await slots.WaitAsync(cancellationToken);
                Start(entry, slots, _deliveries.Token);
            }
        }
    }

    /// <summary>How often a pass also prunes silent consumers and purges dead letters past their retention.</summary>
    public static readonly TimeSpan HousekeepingInterval = TimeSpan.FromMinutes(5);

    /// <summary>The most dead letters one housekeeping deletes per shard (the rest at the next).</summary>
    public const int MaxPurgedPerShard = 1000;

    /// <summary>
    /// Every shard: consumers silent for <see cref="ConsumerRetention"/> leave the group, and dead letters
    /// dead-lettered more than <see cref="WebhookDeliveryOptions.DeadLetterRetention"/> ago are deleted
    /// (at most <see cref="MaxPurgedPerShard"/> each). Returns how many dead letters were deleted.
    /// </summary>
    public async Task<int> HousekeepingAsync()
    {
        var cutoff = time.GetUtcNow() - options.Value.DeadLetterRetention;
        var purged = 0;
        foreach (var shard in PayoutKeys.AllShards)
        {
            await outbox.PruneConsumersAsync(shard, ConsumerRetention);
            purged += await outbox.PurgeDeadLettersAsync(shard, cutoff, MaxPurgedPerShard);
        }

        if (purged > 0)
        {
            metrics.Purged(purged);
            Log.Purged(log, purged, options.Value.DeadLetterRetention);
        }

        return purged;
    }

    /// <summary>
    /// The wait before the retry after <paramref name="attempts"/> failed attempts: <c>FirstRetryDelay·2^(attempts-1)</c>,
    /// capped at <c>MaxRetryDelay</c>, of which a random half ("equal jitter"), so receivers coming back
    /// are not hit by every instance's retries at once.
    /// </summary>
    public static TimeSpan RetryDelay(int attempts, WebhookDeliveryOptions options, double random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = Math.Min(options.FirstRetryDelay.Ticks * Math.Pow(2, exponent), options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.5 + 0.5 * random)));
    }

    private static string InFlightKey(OutboxEntry entry) => entry.Shard.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + entry.EntryId;

    private bool TryMarkInFlight(OutboxEntry entry)
    {
        lock (_gate)
        {
            return _inFlightEntries.Add(InFlightKey(entry));
        }
    }

    private void Start(OutboxEntry entry, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var task = Task.Run(() => DeliverAsync(entry, cancellationToken), CancellationToken.None);
        lock (_gate)
        {
            _inFlight.Add(task);
        }

        _ = task.ContinueWith(t =>
        {
            lock (_gate)
            {
                _inFlight.Remove(t);
                _inFlightEntries.Remove(InFlightKey(entry));
            }

            slots.Release();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var endpoint = endpoints.Find(entry.Client, entry.Endpoint);
            var now = time.GetUtcNow();
            if (endpoint is null)
            {
                Log.EndpointGone(log, entry.PayoutId, entry.EventId, entry.Client, entry.Endpoint);
                await outbox.DeadLetterAsync(entry, now);
                metrics.DeadLettered(entry.Client);
                return;
            }

            var result = await delivery.SendAsync(endpoint, entry.Body, cancellationToken);
            metrics.Attempted(entry.Client, entry.Endpoint, result.Outcome);
            now = time.GetUtcNow();
            if (result.Outcome == DeliveryOutcome.Delivered)
            {
                await outbox.DeliveredAsync(entry);
                Log.Delivered(log, entry.PayoutId, entry.EventId, endpoint.Key, result.StatusCode ?? 0, entry.Attempts + 1);
                return;
            }

            var attempts = entry.Attempts + 1;
            var giveUpAt = entry.RecordedAt + options.Value.RetryFor;
            if (result.Outcome == DeliveryOutcome.CircuitOpen && now >= giveUpAt)
            {
                // Not tried: an entry past its retry window (a redelivered dead letter, or one whose last
                // retry met the open circuit) is not dead-lettered without the attempt it is owed; it waits
                // for the circuit to let a call through.
                var retryAt = now + options.Value.BreakerBreakDuration;
                await outbox.RetryAtAsync(entry, retryAt);
                Log.Failed(log, entry.PayoutId, entry.EventId, endpoint.Key, attempts, Describe(result), (long)(retryAt - now).TotalMilliseconds);
                return;
            }

            if (now >= giveUpAt)
            {
                await outbox.DeadLetterAsync(entry, now);
                metrics.DeadLettered(entry.Client);
                Log.DeadLettered(log, entry.PayoutId, entry.EventId, endpoint.Key, attempts, Describe(result));
                return;
            }

            var due = now + RetryDelay(attempts, options.Value, Random.Shared.NextDouble());
            await outbox.RetryAtAsync(entry, due < giveUpAt ? due : giveUpAt);
            Log.Failed(log, entry.PayoutId, entry.EventId, endpoint.Key, attempts, Describe(result), (long)(due - now).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the entry stays pending or leased and is sent again.
        }
        catch (Exception ex)
        {
            // Redis away mid-step: the entry stays pending or leased and is taken again later.
            Log.StepFailed(log, entry.PayoutId, entry.EventId, ex.GetType().Name);
        }
    }

    private static string Describe(DeliveryResult result) => result.StatusCode is { } status ? "HTTP " + status : result.Error ?? result.Outcome.ToString();

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Webhook {EventId} of payout {PayoutId} delivered to {Endpoint} ({StatusCode}) at attempt {Attempt}")]
        public static partial void Delivered(ILogger logger, string payoutId, string eventId, string endpoint, int statusCode, int attempt);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Webhook {EventId} of payout {PayoutId} to {Endpoint} failed ({Reason}), attempt {Attempt}; retried in {RetryInMs} ms")]
        public static partial void Failed(ILogger logger, string payoutId, string eventId, string endpoint, int attempt, string reason, long retryInMs);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Webhook {EventId} of payout {PayoutId} to {Endpoint} dead-lettered after {Attempts} attempts (last: {Reason})")]
        public static partial void DeadLettered(ILogger logger, string payoutId, string eventId, string endpoint, int attempts, string reason);

        [LoggerMessage(EventId = 7104, Level = LogLevel.Error, Message = "Webhook {EventId} of payout {PayoutId} dead-lettered: endpoint {Client}/{EndpointName} is no longer configured")]
        public static partial void EndpointGone(ILogger logger, string payoutId, string eventId, string client, string endpointName);

        [LoggerMessage(EventId = 7106, Level = LogLevel.Information, Message = "Webhook dead letters purged: {Count} dead-lettered longer than {Retention} ago")]
        public static partial void Purged(ILogger logger, int count, TimeSpan retention);

        [LoggerMessage(EventId = 7107, Level = LogLevel.Warning, Message = "Webhook {EventId} of payout {PayoutId} to {EndpointName} taken again while its delivery still runs here; not sent twice at once")]
        public static partial void AlreadyInFlight(ILogger logger, string payoutId, string eventId, string endpointName);

        [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Webhook {EventId} of payout {PayoutId}: recording the delivery result failed ({ErrorType}); the entry is taken again later")]
        public static partial void StepFailed(ILogger logger, string payoutId, string eventId, string errorType);
    }
}
