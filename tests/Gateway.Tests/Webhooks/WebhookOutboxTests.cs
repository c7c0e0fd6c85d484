using System.Text.Json;
using Gateway.Idempotency;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Gateway.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// The outbox written by the final save: one entry per final payout and endpoint, in the same script,
/// never a second one, none for clients without a webhook; and the dispatcher's Redis steps (retry,
/// dead letter, redelivery). Run on a single node and on a three-primary cluster (every step single-slot).
/// </summary>
public abstract class WebhookOutboxCases
{
    private const string Hooked = "hooked";
    private const string TwoEndpoints = "two-hooks";
    private const string Plain = "plain";

    private readonly RedisSpace _space;
    private readonly PayoutStore _store;
    private readonly IdempotencyStore _idempotency;
    private readonly WebhookOutbox _outbox;

    protected WebhookOutboxCases(IGatewayRedis redis)
    {
        _space = redis.Allocate();
        var endpoints = new WebhookEndpoints(new Dictionary<string, WebhookClientOptions>
        {
            [Hooked] = new() { Url = "http://127.0.0.1:1/hook", Secret = "0123456789abcdef" },
            [TwoEndpoints] = new()
            {
                Url = "http://127.0.0.1:1/a", Secret = "0123456789abcdef",
                Endpoints = { ["audit"] = new() { Url = "http://127.0.0.1:1/b", Secret = "fedcba9876543210" } },
            },
        });
        _store = new(_space.State(), Options.Create(new PayoutsOptions()), new InstanceIdentity(), Options.Create(new RecoveryOptions()),
            TimeProvider.System, new WebhookEvents(endpoints));
        _idempotency = new(_space.State(), new InstanceIdentity(), Options.Create(new RecoveryOptions()), Options.Create(new PayoutsOptions()));
        _outbox = new WebhookOutbox(_space.State());
    }

    [Fact]
    public async Task FinalSave_OfAClientWithAWebhook_AppendsExactlyOneEvent_AndAReSaveNone()
    {
        var payout = await ClaimedAsync(Hooked);
        var succeeded = payout with { Status = PayoutStatus.Succeeded, PartnerReference = "YCB1", CompletedAt = payout.CreatedAt.AddSeconds(1) };

        Assert.Equal(SaveOutcome.Saved, (await _store.SaveAsync(succeeded, 1, "fp", 1)).Outcome);
        Assert.Equal(SaveOutcome.AlreadyFinal, (await _store.SaveAsync(succeeded, 2, "fp", 1)).Outcome);
        Assert.Equal(SaveOutcome.AlreadyFinal, (await _store.SaveAsync(payout with { Status = PayoutStatus.Failed }, 1, "fp", 1)).Outcome);

        var entries = await EntriesOfAsync(payout.Id);
        var entry = Assert.Single(entries);
        Assert.Equal(WebhookEvent.IdOf(payout.Id), (string)entry["evt"]!);
        Assert.Equal("default", (string)entry["endpoint"]!);
        using var body = JsonDocument.Parse((string)entry["body"]!);
        Assert.Equal(WebhookEvent.IdOf(payout.Id), body.RootElement.GetProperty("id").GetString());
        Assert.Equal("payout.succeeded", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(payout.Id, body.RootElement.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("succeeded", body.RootElement.GetProperty("data").GetProperty("status").GetString());
        Assert.DoesNotContain(Api.Account, (string)entry["body"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessingSaves_AndClientsWithoutWebhook_AppendNothing()
    {
        var hooked = await ClaimedAsync(Hooked);
        await _store.SaveAsync(hooked with { Attempts = [Attempt()] }, 1, "fp", 1);
        Assert.Empty(await EntriesOfAsync(hooked.Id));

        var plain = await ClaimedAsync(Plain);
        await _store.SaveAsync(plain with { Status = PayoutStatus.Failed }, 1, "fp", 1);
        Assert.Empty(await EntriesOfAsync(plain.Id));
    }

    [Fact]
    public async Task TwoEndpoints_GetOneEntryEach_WithTheSameEventId()
    {
        var payout = await ClaimedAsync(TwoEndpoints);
        await _store.SaveAsync(payout with { Status = PayoutStatus.Failed }, 1, "fp", 1);

        var entries = await EntriesOfAsync(payout.Id);
        Assert.Equal(["audit", "default"], entries.Select(e => (string)e["endpoint"]!).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(WebhookEvent.IdOf(payout.Id), (string)e["evt"]!));
        Assert.All(entries, e => Assert.Equal("payout.failed", (string)e["type"]!));
    }

    [Fact]
    public async Task Retry_DeadLetter_Redeliver_Delivered()
    {
        await _outbox.EnsureGroupsAsync();
        var payout = await ClaimedAsync(Hooked);
        await _store.SaveAsync(payout with { Status = PayoutStatus.Succeeded }, 1, "fp", 1);
        var shard = PayoutKeys.ShardOf(payout.Id);
        var now = DateTimeOffset.UtcNow;

        var read = Assert.Single(await _outbox.ReadNewAsync(shard, "a", 10), e => e.PayoutId == payout.Id);
        Assert.Equal(0, read.Attempts);
        Assert.Empty(await _outbox.ClaimStaleAsync(shard, "b", TimeSpan.FromMinutes(1), 10));
        await _outbox.RetryAtAsync(read, now.AddSeconds(5));
        Assert.Empty(await _outbox.TakeDueRetriesAsync(shard, now, TimeSpan.FromSeconds(30), 10));

        var due = Assert.Single(await _outbox.TakeDueRetriesAsync(shard, now.AddSeconds(6), TimeSpan.FromSeconds(30), 10));
        Assert.Equal(1, due.Attempts);
        // Leased: another instance does not take it again before the lease ends.
        Assert.Empty(await _outbox.TakeDueRetriesAsync(shard, now.AddSeconds(7), TimeSpan.FromSeconds(30), 10));

        await _outbox.DeadLetterAsync(due, now.AddSeconds(8));
        var dead = Assert.Single(await _outbox.DeadLettersAsync(Hooked, 10), d => d.Entry.PayoutId == payout.Id);
        Assert.Equal(2, dead.Entry.Attempts);
        Assert.Empty(await _outbox.DeadLettersAsync("someone-else", 10));
        Assert.Empty(await _outbox.TakeDueRetriesAsync(shard, now.AddHours(1), TimeSpan.FromSeconds(30), 10));

        Assert.Equal(0, await _outbox.RedeliverAsync(dead.Entry.EventId, "someone-else", now));
        Assert.Equal(1, await _outbox.RedeliverAsync(dead.Entry.EventId, Hooked, now.AddSeconds(9)));
        Assert.DoesNotContain(await _outbox.DeadLettersAsync(Hooked, 10), d => d.Entry.PayoutId == payout.Id);
        var again = Assert.Single(await _outbox.TakeDueRetriesAsync(shard, now.AddSeconds(10), TimeSpan.FromSeconds(30), 10));
        Assert.Equal(0, again.Attempts);

        await _outbox.DeliveredAsync(again);
        Assert.Empty(await EntriesOfAsync(payout.Id));
        // A late failure report of another instance does not bring it back.
        await _outbox.RetryAtAsync(again, now);
        Assert.Empty(await _outbox.TakeDueRetriesAsync(shard, now.AddHours(1), TimeSpan.FromSeconds(30), 10));
    }

    [Fact]
    public async Task AnEntryPendingWithASilentReader_IsClaimedByAnother()
    {
        await _outbox.EnsureGroupsAsync();
        var payout = await ClaimedAsync(Hooked);
        await _store.SaveAsync(payout with { Status = PayoutStatus.Succeeded }, 1, "fp", 1);
        var shard = PayoutKeys.ShardOf(payout.Id);
        Assert.Contains(await _outbox.ReadNewAsync(shard, "dead-instance", 10), e => e.PayoutId == payout.Id);

        await Task.Delay(250);
        var claimed = await _outbox.ClaimStaleAsync(shard, "live-instance", TimeSpan.FromMilliseconds(200), 10);

        Assert.Contains(claimed, e => e.PayoutId == payout.Id && e.EventId == WebhookEvent.IdOf(payout.Id));
    }

    [Fact]
    public async Task SilentConsumers_WithNothingPending_ArePruned_OnesWithPendingEntriesStay()
    {
        await _outbox.EnsureGroupsAsync();
        var payout = await ClaimedAsync(Hooked);
        await _store.SaveAsync(payout with { Status = PayoutStatus.Succeeded }, 1, "fp", 1);
        var shard = PayoutKeys.ShardOf(payout.Id);
        var holder = "holder-" + Guid.NewGuid().ToString("N");
        var idle = "idle-" + Guid.NewGuid().ToString("N");
        Assert.Contains(await _outbox.ReadNewAsync(shard, holder, 100), e => e.PayoutId == payout.Id);
        await _outbox.ReadNewAsync(shard, idle, 1);
        await Task.Delay(150);

        await _outbox.PruneConsumersAsync(shard, TimeSpan.FromMilliseconds(100));

        var names = (await _space.Db.StreamConsumerInfoAsync(PayoutKeys.Outbox(shard), WebhookOutbox.Group)).Select(c => (string)c.Name!).ToList();
        Assert.Contains(holder, names);
        Assert.DoesNotContain(idle, names);
    }

    [Fact]
    public async Task Purge_DeletesDeadLettersOlderThanTheCutoff_EntryMarkAndAttempts_KeepsYoungerOnes()
    {
        await _outbox.EnsureGroupsAsync();
        var old = await FinalEntryAsync();
        var young = await FinalEntryAsync(sameShardAs: old.Shard);
        var now = DateTimeOffset.UtcNow;
        await _outbox.DeadLetterAsync(old, now.AddDays(-31));
        await _outbox.DeadLetterAsync(young, now.AddDays(-29));

        var purged = await _outbox.PurgeDeadLettersAsync(old.Shard, now.AddDays(-30), 1000);

        Assert.True(purged >= 1, $"purged {purged}");
        Assert.Empty(await EntriesOfAsync(old.PayoutId));
        Assert.Null(await _space.Db.SortedSetScoreAsync(PayoutKeys.OutboxDead(old.Shard), old.EntryId));
        Assert.False(await _space.Db.HashExistsAsync(PayoutKeys.OutboxAttempts(old.Shard), old.EntryId));
        Assert.Single(await EntriesOfAsync(young.PayoutId));
        Assert.Contains(await _outbox.DeadLettersAsync(Hooked, 100), d => d.Entry.PayoutId == young.PayoutId);
        Assert.Equal(0, await _outbox.RedeliverAsync(old.EventId, Hooked, now));
    }

    [Fact]
    public async Task Purge_IsBoundedPerCall()
    {
        await _outbox.EnsureGroupsAsync();
        var first = await FinalEntryAsync();
        var second = await FinalEntryAsync(sameShardAs: first.Shard);
        var at = DateTimeOffset.UtcNow.AddDays(-40);
        await _outbox.DeadLetterAsync(first, at);
        await _outbox.DeadLetterAsync(second, at);

        Assert.Equal(1, await _outbox.PurgeDeadLettersAsync(first.Shard, DateTimeOffset.UtcNow, 1));
        Assert.True(await _outbox.PurgeDeadLettersAsync(first.Shard, DateTimeOffset.UtcNow, 1000) >= 1);
        Assert.Empty(await EntriesOfAsync(first.PayoutId));
        Assert.Empty(await EntriesOfAsync(second.PayoutId));
    }

    [Fact]
    public async Task Counts_UndeliveredExcludeDeadLetters_OldestUndeliveredSkipsDeadLettersAtTheHead()
    {
        await _outbox.EnsureGroupsAsync();
        var dead = await FinalEntryAsync();
        await Task.Delay(20);
        var live = await FinalEntryAsync(sameShardAs: dead.Shard);
        await _outbox.DeadLetterAsync(dead, DateTimeOffset.UtcNow);
        var now = live.RecordedAt.AddMinutes(20);

        var counts = await _outbox.CountsAsync(now);

        // Each test has its own keyspace: the two entries only.
        Assert.Equal(2, counts.Entries);
        Assert.Equal(1, counts.DeadLetters);
        Assert.Equal(1, counts.Undelivered);
        Assert.Equal(live.RecordedAt, counts.OldestUndeliveredAt);
        Assert.True(dead.RecordedAt < live.RecordedAt);
        Assert.Equal((now - live.RecordedAt).TotalSeconds, counts.OldestUndeliveredAgeSeconds, 3);

        await _outbox.DeliveredAsync(live);
        var after = await _outbox.CountsAsync(now);
        Assert.Equal(0, after.Undelivered);
        Assert.Null(after.OldestUndeliveredAt);
        Assert.Equal(0, after.OldestUndeliveredAgeSeconds);
    }

    [Fact]
    public async Task Counts_PastTheScanCapOfDeadLetters_EstimateTheOldestFromThePendingAndUnreadEntries()
    {
        await _outbox.EnsureGroupsAsync();
        const int shard = 3;
        var stream = PayoutKeys.Outbox(shard);
        NameValueEntry[] fields = [new("evt", "evt_x"), new("payout", "po_x"), new("client", Hooked), new("endpoint", "default"), new("type", "payout.failed"), new("body", "{}")];
        var batch = _space.Db.CreateBatch();
        var writes = new List<Task>();
        for (var i = 1; i <= WebhookOutbox.MaxOldestScan + 1; i++)
        {
            writes.Add(batch.StreamAddAsync(stream, fields, $"1000-{i}"));
        }

        batch.Execute();
        await Task.WhenAll(writes);
        // Dead letters were read and acknowledged before they died, as the dispatcher does.
        var read = await _space.Db.StreamReadGroupAsync(stream, WebhookOutbox.Group, "x", ">", WebhookOutbox.MaxOldestScan + 1);
        Assert.Equal(WebhookOutbox.MaxOldestScan + 1, read.Length);
        await _space.Db.StreamAcknowledgeAsync(stream, WebhookOutbox.Group, [.. read.Select(e => e.Id)]);
        await _space.Db.SortedSetAddAsync(PayoutKeys.OutboxDead(shard), [.. read.Select(e => new SortedSetEntry(e.Id, 1))]);
        await _space.Db.StreamAddAsync(stream, fields, "2000-0");
        Assert.Single(await _space.Db.StreamReadGroupAsync(stream, WebhookOutbox.Group, "x", ">", 1)); // in flight
        await _space.Db.StreamAddAsync(stream, fields, "3000-0"); // not yet read

        var counts = await _outbox.CountsAsync(DateTimeOffset.FromUnixTimeMilliseconds(5000));

        Assert.True(counts.OldestIsEstimate);
        Assert.Equal(2, counts.Undelivered);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(2000), counts.OldestUndeliveredAt);
        Assert.Equal(3, counts.OldestUndeliveredAgeSeconds, 3);

        await _space.Db.StreamAcknowledgeAsync(stream, WebhookOutbox.Group, "2000-0");
        await _space.Db.StreamDeleteAsync(stream, ["2000-0"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(3000), (await _outbox.CountsAsync(DateTimeOffset.FromUnixTimeMilliseconds(5000))).OldestUndeliveredAt);
    }

    /// <summary>A final payout of the hooked client, its outbox entry read (pending) by a consumer.</summary>
    private async Task<OutboxEntry> FinalEntryAsync(int? sameShardAs = null)
    {
        while (true)
        {
            var payout = await ClaimedAsync(Hooked);
            if (sameShardAs is { } shard && PayoutKeys.ShardOf(payout.Id) != shard)
            {
                continue;
            }

            await _store.SaveAsync(payout with { Status = PayoutStatus.Succeeded }, 1, "fp", 1);
            var entry = (await EntriesOfAsync(payout.Id)).Single();
            return new OutboxEntry(PayoutKeys.ShardOf(payout.Id), (string)entry.Id!, (string)entry["evt"]!, payout.Id, Hooked,
                (string)entry["endpoint"]!, (string)entry["type"]!, (string)entry["body"]!, 0);
        }
    }

    private async Task<PayoutRecord> ClaimedAsync(string client)
    {
        var payout = new PayoutRecord
        {
            Id = Ids.Of(client, Guid.NewGuid().ToString()),
            Client = client,
            LoanId = "LN-1",
            Amount = 12.30m,
            Currency = "CNY",
            Beneficiary = new Beneficiary("张三", Api.Account, "ICBC"),
            Status = PayoutStatus.Processing,
            Partner = "ycb",
            CreatedAt = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero),
        };
        await _idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        return payout;
    }

    private async Task<StreamEntry[]> EntriesOfAsync(string payoutId) =>
        [.. (await _space.Db.StreamRangeAsync(PayoutKeys.Outbox(PayoutKeys.ShardOf(payoutId)))).Where(e => e["payout"] == payoutId)];

    private static Attempt Attempt() => new()
    {
        Partner = "ycb", At = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), ElapsedMs = 3, Outcome = "timeout",
    };
}

[Collection(GatewayCollection.Name)]
public sealed class WebhookOutboxTests(RedisFixture redis) : WebhookOutboxCases(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class WebhookOutboxClusterTests(RedisClusterFixture redis) : WebhookOutboxCases(redis);
