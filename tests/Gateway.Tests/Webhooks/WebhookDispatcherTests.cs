using System.Collections.Concurrent;
using Gateway.Storage;
using Gateway.Tests.Fixtures;
using Gateway.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// The dispatcher's decisions against a scripted outbox (no Redis): an entry taken again while its
/// delivery still runs here is not sent a second time at once; an entry past its retry window that meets
/// an open circuit (a redelivered dead letter) is not dead-lettered untried; housekeeping purges dead
/// letters past their retention.
/// </summary>
public sealed class WebhookDispatcherTests : IDisposable
{
    private readonly WebhookReceiver _receiver = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _receiver.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task AnEntryTakenAgainWhileItsDeliveryRuns_IsNotSentTwiceAtOnce()
    {
        _receiver.HangFirst = 1;
        _receiver.HangFor = TimeSpan.FromSeconds(2);
        var outbox = new ScriptedOutbox();
        var entry = outbox.Entry(recordedAt: DateTimeOffset.UtcNow);
        // Every pass takes the same entry again (as XAUTOCLAIM of its own entry or a lapsed retry lease would).
        outbox.Stale = () => [entry];
        using var dispatcher = Dispatcher(outbox, new WebhookDeliveryOptions { AttemptTimeout = TimeSpan.FromSeconds(5) });

        await dispatcher.PassAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => _receiver.Arrived == 1, "the first delivery arrived", TimeSpan.FromSeconds(5));
        await dispatcher.PassAsync(CancellationToken.None);
        await dispatcher.PassAsync(CancellationToken.None);
        await Task.Delay(300);

        Assert.Equal(1, _receiver.Arrived);
        await Eventually.HoldsAsync(() => outbox.Delivered.Count == 1, "the delivery recorded", TimeSpan.FromSeconds(5));
        // Once it is over, the entry may be taken (and sent) again: nothing is held back for good.
        await Eventually.HoldsAsync(async () =>
        {
            await dispatcher.PassAsync(CancellationToken.None);
            return _receiver.Arrived == 2;
        }, "sent again after the first delivery ended", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AnEntryPastItsWindow_MeetingAnOpenCircuit_WaitsForATry_NotDeadLettered()
    {
        _receiver.Down = true;
        var options = new WebhookDeliveryOptions
        {
            BreakerMinimumThroughput = 2, BreakerBreakDuration = TimeSpan.FromMinutes(1), AttemptTimeout = TimeSpan.FromSeconds(2),
            RetryFor = TimeSpan.FromHours(24),
        };
        var outbox = new ScriptedOutbox();
        using var dispatcher = Dispatcher(outbox, options);
        // Fresh events fail, one after the other, until the endpoint's circuit opens (the third is not tried).
        for (var i = 1; i <= 3; i++)
        {
            var fresh = outbox.Entry(DateTimeOffset.UtcNow);
            outbox.Due = () => [fresh];
            await dispatcher.PassAsync(CancellationToken.None);
            await Eventually.HoldsAsync(() => outbox.Retried.ContainsKey(fresh.EntryId), $"failure {i} recorded", TimeSpan.FromSeconds(10));
        }

        Assert.Equal(2, _receiver.Deliveries.Count);

        // A redelivered dead letter: recorded two days ago, attempts reset, due now; the circuit is open.
        var redelivered = outbox.Entry(DateTimeOffset.UtcNow.AddDays(-2));
        outbox.Due = () => [redelivered];
        await dispatcher.PassAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => outbox.Retried.ContainsKey(redelivered.EntryId), "the untried entry rescheduled", TimeSpan.FromSeconds(5));

        Assert.Empty(outbox.DeadLettered);
        Assert.Equal(2, _receiver.Deliveries.Count);
        Assert.True(outbox.Retried[redelivered.EntryId] >= DateTimeOffset.UtcNow.AddSeconds(50), "retried after the circuit's break");
    }

    [Fact]
    public async Task Housekeeping_PurgesDeadLettersOlderThanTheRetention_OnEveryShard()
    {
        var outbox = new ScriptedOutbox();
        var retention = TimeSpan.FromDays(3);
        using var dispatcher = Dispatcher(outbox, new WebhookDeliveryOptions { DeadLetterRetention = retention });
        var before = DateTimeOffset.UtcNow;

        Assert.Equal(PayoutKeys.AllShards.Count() * 2, await dispatcher.HousekeepingAsync());

        Assert.Equal(PayoutKeys.AllShards.Order(), outbox.Purges.Select(p => p.Shard).Order());
        Assert.All(outbox.Purges, p => Assert.InRange(p.Cutoff, before - retention, DateTimeOffset.UtcNow - retention));
        Assert.All(outbox.Purges, p => Assert.Equal(WebhookDispatcher.MaxPurgedPerShard, p.Max));
    }

    private WebhookDispatcher Dispatcher(ScriptedOutbox outbox, WebhookDeliveryOptions options)
    {
        var endpoints = new WebhookEndpoints(new Dictionary<string, WebhookClientOptions>
        {
            ["lender"] = new() { Url = _receiver.Url, Secret = WebhookReceiver.Secret },
        });
        var delivery = new WebhookDelivery(_services.GetRequiredService<IHttpClientFactory>(), Options.Create(options), TimeProvider.System);
        return new WebhookDispatcher(outbox, endpoints, delivery, new WebhookMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            new InstanceIdentity(), Options.Create(options), TimeProvider.System, NullLogger<WebhookDispatcher>.Instance);
    }

    /// <summary>An outbox whose takes are scripted per test and whose writes are recorded.</summary>
    private sealed class ScriptedOutbox : IWebhookOutbox
    {
        private int _next;

        public Func<IReadOnlyList<OutboxEntry>> Stale { get; set; } = () => [];

        public Func<IReadOnlyList<OutboxEntry>> Due { get; set; } = () => [];

        public ConcurrentQueue<OutboxEntry> Delivered { get; } = new();

        public ConcurrentDictionary<string, DateTimeOffset> Retried { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<OutboxEntry> DeadLettered { get; } = new();

        public ConcurrentQueue<(int Shard, DateTimeOffset Cutoff, int Max)> Purges { get; } = new();

        public OutboxEntry Entry(DateTimeOffset recordedAt)
        {
            var n = Interlocked.Increment(ref _next);
            return new OutboxEntry(0, $"{recordedAt.ToUnixTimeMilliseconds()}-{n}", $"evt_{n}", $"po_{n}", "lender", "default",
                "payout.succeeded", $"{{\"id\":\"evt_{n}\"}}", 0);
        }

        public Task EnsureGroupsAsync() => Task.CompletedTask;

        public Task<IReadOnlyList<OutboxEntry>> ReadNewAsync(int shard, string consumer, int count) => Task.FromResult<IReadOnlyList<OutboxEntry>>([]);

        public Task<IReadOnlyList<OutboxEntry>> ClaimStaleAsync(int shard, string consumer, TimeSpan minIdle, int count) =>
            Task.FromResult(shard == 0 ? Stale() : []);

        public Task<IReadOnlyList<OutboxEntry>> TakeDueRetriesAsync(int shard, DateTimeOffset now, TimeSpan lease, int count)
        {
            if (shard != 0)
            {
                return Task.FromResult<IReadOnlyList<OutboxEntry>>([]);
            }

            var due = Due();
            Due = () => [];
            return Task.FromResult(due);
        }

        public Task DeliveredAsync(OutboxEntry entry)
        {
            Delivered.Enqueue(entry);
            return Task.CompletedTask;
        }

        public Task RetryAtAsync(OutboxEntry entry, DateTimeOffset due)
        {
            Retried[entry.EntryId] = due;
            return Task.CompletedTask;
        }

        public Task DeadLetterAsync(OutboxEntry entry, DateTimeOffset at)
        {
            DeadLettered.Enqueue(entry);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string? client, int limit) => Task.FromResult<IReadOnlyList<DeadLetter>>([]);

        public Task<int> PruneConsumersAsync(int shard, TimeSpan idle) => Task.FromResult(0);

        public Task<OutboxCounts> CountsAsync(DateTimeOffset now) => Task.FromResult(new OutboxCounts(0, 0, 0, 0, null, 0, false, now));

        public Task<int> PurgeDeadLettersAsync(int shard, DateTimeOffset cutoff, int max)
        {
            Purges.Enqueue((shard, cutoff, max));
            return Task.FromResult(2);
        }

        public Task<int> RedeliverAsync(string eventId, string client, DateTimeOffset now) => Task.FromResult(0);
    }
}
