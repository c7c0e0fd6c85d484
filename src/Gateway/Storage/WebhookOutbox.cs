using System.Globalization;
using StackExchange.Redis;
using Gateway.Core;

namespace Gateway.Storage;

/// <summary>
/// A final-status event as the final save records it: its fixed id, its type, the raw body every
/// delivery sends, and the names of the client's endpoints (one outbox entry each).
/// </summary>
public sealed record OutboxEvent(string EventId, string Type, string Body, IReadOnlyList<string> Endpoints);

/// <summary>
/// What the final save of a payout records in the webhook outbox: null when the payout's client has
/// no webhook endpoint (then nothing is appended). Implemented by the Webhooks feature.
/// </summary>
public interface IFinalStatusEvents
{
    OutboxEvent? EventOf(PayoutRecord payout);
}

/// <summary>One outbox entry: one event for one endpoint, with its failed attempts so far.</summary>
public sealed record OutboxEntry(int Shard, string EntryId, string EventId, string PayoutId, string Client, string Endpoint,
    string Type, string Body, int Attempts)
{
    /// <summary>When the final save appended it (the stream entry id's milliseconds).</summary>
    public DateTimeOffset RecordedAt => DateTimeOffset.FromUnixTimeMilliseconds(
        long.Parse(EntryId.AsSpan(0, EntryId.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture));
}

/// <summary>
/// The outbox across every shard: entries stored (not yet delivered, dead letters included), those
/// waiting for a retry, the dead letters, the entries not yet delivered and not dead-lettered
/// (<paramref name="Undelivered"/>: new, in flight or waiting for a retry), and when the oldest of
/// those was recorded (null when none) with its age at <paramref name="SampledAt"/>.
/// <paramref name="OldestIsEstimate"/>: more than <see cref="WebhookOutbox.MaxOldestScan"/> dead letters
/// lie before it in some shard's stream, so the oldest there is estimated from the group's pending list
/// and first unread entry (retries behind the dead letters are then not seen).
/// </summary>
public sealed record OutboxCounts(long Entries, long Retrying, long DeadLetters, long Undelivered,
    DateTimeOffset? OldestUndeliveredAt, double OldestUndeliveredAgeSeconds, bool OldestIsEstimate, DateTimeOffset SampledAt);

/// <summary>A dead-lettered entry: retries ran out at <paramref name="DeadAt"/>.</summary>
public sealed record DeadLetter(OutboxEntry Entry, DateTimeOffset DeadAt);

/// <summary>
/// The webhook outbox's Redis side as the dispatcher sees it (Webhooks/WebhookDispatcher). Per shard:
/// new entries are read through the consumer group (<see cref="ReadNewAsync"/>) and stay pending with
/// the reader until delivered, scheduled for a retry or dead-lettered; an entry pending with a reader
/// that went silent is taken over (<see cref="ClaimStaleAsync"/>, <c>XAUTOCLAIM</c>). Retries wait in
/// a sorted set by due time; taking one leases it (its score moves a lease ahead) so two instances
/// never retry the same entry at once, and one that dies mid-delivery leaves it due again.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>Creates the consumer group on every shard's stream (idempotent).</summary>
    Task EnsureGroupsAsync();

    Task<IReadOnlyList<OutboxEntry>> ReadNewAsync(int shard, string consumer, int count);

    Task<IReadOnlyList<OutboxEntry>> ClaimStaleAsync(int shard, string consumer, TimeSpan minIdle, int count);

    Task<IReadOnlyList<OutboxEntry>> TakeDueRetriesAsync(int shard, DateTimeOffset now, TimeSpan lease, int count);

    /// <summary>Delivered (2xx): the entry leaves the stream, the pending list and the retries.</summary>
    Task DeliveredAsync(OutboxEntry entry);

    /// <summary>Failed: one more attempt counted, due again at <paramref name="due"/>.</summary>
    Task RetryAtAsync(OutboxEntry entry, DateTimeOffset due);

    /// <summary>Retries ran out: the entry moves to the shard's dead letters (kept in the stream for a redelivery).</summary>
    Task DeadLetterAsync(OutboxEntry entry, DateTimeOffset at);

    /// <summary>Dead letters, newest first, of <paramref name="client"/> (every client when null).</summary>
    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string? client, int limit);

    /// <summary>
    /// Removes from <paramref name="shard"/>'s group the consumers (instances) idle for longer than
    /// <paramref name="idle"/> with nothing pending: every restart adds one, none leaves by itself.
    /// Returns how many were removed.
    /// </summary>
    Task<int> PruneConsumersAsync(int shard, TimeSpan idle);

    /// <summary>The outbox's sizes and its oldest undelivered entry for on-call, every shard (bounded work: see <see cref="OutboxCounts"/>).</summary>
    Task<OutboxCounts> CountsAsync(DateTimeOffset now);

    /// <summary>
    /// Deletes up to <paramref name="max"/> of <paramref name="shard"/>'s dead letters dead-lettered
    /// before <paramref name="cutoff"/> (stream entry, dead-letter mark, attempts; one atomic step). Returns how many.
    /// </summary>
    Task<int> PurgeDeadLettersAsync(int shard, DateTimeOffset cutoff, int max);

    /// <summary>Makes <paramref name="eventId"/>'s dead letters of <paramref name="client"/> due now, attempts reset; how many.</summary>
    Task<int> RedeliverAsync(string eventId, string client, DateTimeOffset now);
}

/// <inheritdoc cref="IWebhookOutbox"/>
public sealed class WebhookOutbox(StateDatabase state) : IWebhookOutbox
{
    public const string Group = "webhooks";

    /// <summary>The most dead letters per shard one client's list or redelivery looks through (newest first).</summary>
    public const int MaxScannedPerShard = 1000;

    public async Task EnsureGroupsAsync()
    {
        foreach (var shard in PayoutKeys.AllShards)
        {
            try
            {
                await state.Db.StreamCreateConsumerGroupAsync(PayoutKeys.Outbox(shard), Group, "0", createStream: true);
            }
            catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
            {
                // There already.
            }
        }
    }

    public async Task<IReadOnlyList<OutboxEntry>> ReadNewAsync(int shard, string consumer, int count)
    {
        StreamEntry[] entries;
        try
        {
            entries = await state.Db.StreamReadGroupAsync(PayoutKeys.Outbox(shard), Group, consumer, ">", count);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // The stream was lost (Redis data loss) and with it the group: recreate both, read next time.
            await EnsureGroupsAsync();
            return [];
        }

        return await WithAttemptsAsync(shard, entries);
    }

    public async Task<IReadOnlyList<OutboxEntry>> ClaimStaleAsync(int shard, string consumer, TimeSpan minIdle, int count)
    {
        StreamAutoClaimResult claimed;
        try
        {
            claimed = await state.Db.StreamAutoClaimAsync(PayoutKeys.Outbox(shard), Group, consumer, (long)minIdle.TotalMilliseconds, "0-0", count);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            return [];
        }

        return await WithAttemptsAsync(shard, claimed.ClaimedEntries);
    }

    // KEYS: 1 retries, 2 stream. ARGV: 1 now ms, 2 leased-until ms, 3 count. Returns {entry id, field, value, ...} per
    // due entry, each leased (moved to ARGV[2]) in the same step; an id whose entry is gone is dropped.
    private const string TakeDueScript = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        local out = {}
        for _, id in ipairs(due) do
          local e = redis.call('XRANGE', KEYS[2], id, id)
          if #e == 0 then
            redis.call('ZREM', KEYS[1], id)
          else
            redis.call('ZADD', KEYS[1], ARGV[2], id)
            table.insert(out, e[1])
          end
        end
        return out
        """;

    public async Task<IReadOnlyList<OutboxEntry>> TakeDueRetriesAsync(int shard, DateTimeOffset now, TimeSpan lease, int count)
    {
        var result = (RedisResult[])(await state.Db.ScriptEvaluateAsync(TakeDueScript,
            [PayoutKeys.OutboxRetries(shard), PayoutKeys.Outbox(shard)],
            [now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), count]))!;
        var entries = result.Select(r => (RedisResult[])r!).Select(pair =>
        {
            var fields = (RedisResult[])pair[1]!;
            var values = new NameValueEntry[fields.Length / 2];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = new NameValueEntry((string)fields[2 * i]!, (string)fields[2 * i + 1]!);
            }

            return new StreamEntry((string)pair[0]!, values);
        }).ToArray();
        return await WithAttemptsAsync(shard, entries);
    }

    // KEYS: 1 stream, 2 retries, 3 attempts. ARGV: 1 entry id, 2 group.
    private const string DeliveredScript = """
        redis.call('XACK', KEYS[1], ARGV[2], ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        return 1
        """;

    public Task DeliveredAsync(OutboxEntry entry) =>
        state.Db.ScriptEvaluateAsync(DeliveredScript,
            [PayoutKeys.Outbox(entry.Shard), PayoutKeys.OutboxRetries(entry.Shard), PayoutKeys.OutboxAttempts(entry.Shard)],
            [entry.EntryId, Group]);

    // KEYS: 1 stream, 2 retries, 3 attempts, 4 dead. ARGV: 1 entry id, 2 group, 3 due ms.
    // Only while the entry still exists and is not dead: a late writer never resurrects a delivered entry.
    private const string RetryScript = """
        redis.call('XACK', KEYS[1], ARGV[2], ARGV[1])
        if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 or redis.call('ZSCORE', KEYS[4], ARGV[1]) then
          redis.call('ZREM', KEYS[2], ARGV[1])
          return 0
        end
        redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        return 1
        """;

    public Task RetryAtAsync(OutboxEntry entry, DateTimeOffset due) =>
        state.Db.ScriptEvaluateAsync(RetryScript,
            [PayoutKeys.Outbox(entry.Shard), PayoutKeys.OutboxRetries(entry.Shard), PayoutKeys.OutboxAttempts(entry.Shard), PayoutKeys.OutboxDead(entry.Shard)],
            [entry.EntryId, Group, due.ToUnixTimeMilliseconds()]);

    // KEYS: 1 stream, 2 retries, 3 attempts, 4 dead. ARGV: 1 entry id, 2 group, 3 dead-lettered ms.
    private const string DeadScript = """
        redis.call('XACK', KEYS[1], ARGV[2], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then
          return 0
        end
        redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
        redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
        return 1
        """;

    public Task DeadLetterAsync(OutboxEntry entry, DateTimeOffset at) =>
        state.Db.ScriptEvaluateAsync(DeadScript,
            [PayoutKeys.Outbox(entry.Shard), PayoutKeys.OutboxRetries(entry.Shard), PayoutKeys.OutboxAttempts(entry.Shard), PayoutKeys.OutboxDead(entry.Shard)],
            [entry.EntryId, Group, at.ToUnixTimeMilliseconds()]);

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string? client, int limit)
    {
        var db = state.Db;
        var shards = await Task.WhenAll(PayoutKeys.AllShards.Select(async shard =>
        {
            // Bounded: each shard's newest `limit` (every client) or 1,000 (one client's, filtered below).
            var dead = await db.SortedSetRangeByRankWithScoresAsync(PayoutKeys.OutboxDead(shard), 0, (client is null ? limit : MaxScannedPerShard) - 1, Order.Descending);
            var entries = await Task.WhenAll(dead.Select(d => db.StreamRangeAsync(PayoutKeys.Outbox(shard), d.Element, d.Element)));
            var parsed = await WithAttemptsAsync(shard, [.. entries.SelectMany(e => e)]);
            var at = dead.ToDictionary(d => (string)d.Element!, d => DateTimeOffset.FromUnixTimeMilliseconds((long)d.Score), StringComparer.Ordinal);
            return parsed.Select(e => new DeadLetter(e, at[e.EntryId]));
        }));
        return [.. shards.SelectMany(s => s).Where(d => client is null || d.Entry.Client == client)
            .OrderByDescending(d => d.DeadAt).ThenBy(d => d.Entry.EntryId, StringComparer.Ordinal).Take(limit)];
    }

    public async Task<int> PruneConsumersAsync(int shard, TimeSpan idle)
    {
        StreamConsumerInfo[] consumers;
        try
        {
            consumers = await state.Db.StreamConsumerInfoAsync(PayoutKeys.Outbox(shard), Group);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            return 0;
        }

        var removed = 0;
        foreach (var consumer in consumers.Where(c => c.PendingMessageCount == 0 && c.IdleTimeInMilliseconds > (long)idle.TotalMilliseconds))
        {
            // A consumer that read meanwhile has pending entries again: XGROUP DELCONSUMER would drop them, so check in the same step.
            removed += (int)(long)(await state.Db.ScriptEvaluateAsync(PruneScript, [PayoutKeys.Outbox(shard)], [Group, consumer.Name]));
        }

        return removed;
    }

    // KEYS: 1 stream. ARGV: 1 group, 2 consumer. Deletes the consumer only when it has nothing pending.
    private const string PruneScript = """
        local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
        if #pending > 0 then
          return 0
        end
        redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>The most stream entries per shard a count looks through for the oldest one that is not a dead letter.</summary>
    public const int MaxOldestScan = 1000;

    // KEYS: 1 stream, 2 dead. ARGV: 1 group, 2 scan cap. Returns {stream length, dead count, oldest undelivered id or '', estimated 0|1}.
    // Walks the stream from its head in chunks, skipping dead letters (ZSCORE), up to the cap; past the cap the
    // oldest is estimated as the smaller of the group's oldest pending id and its first unread entry.
    private const string CountsScript = """
        local len = redis.call('XLEN', KEYS[1])
        local dead = redis.call('ZCARD', KEYS[2])
        if len == 0 then return {0, dead, '', 0} end
        local cap = tonumber(ARGV[2])
        local start = '-'
        local scanned = 0
        while scanned < cap do
          local chunk = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 100)
          if #chunk == 0 then return {len, dead, '', 0} end
          for _, e in ipairs(chunk) do
            scanned = scanned + 1
            if not redis.call('ZSCORE', KEYS[2], e[1]) then return {len, dead, e[1], 0} end
          end
          start = '(' .. chunk[#chunk][1]
        end
        local best = ''
        local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
        if ok and pending[2] then best = pending[2] end
        local ok2, groups = pcall(redis.call, 'XINFO', 'GROUPS', KEYS[1])
        if ok2 then
          for _, g in ipairs(groups) do
            local name, last = nil, nil
            for i = 1, #g, 2 do
              if g[i] == 'name' then name = g[i + 1] end
              if g[i] == 'last-delivered-id' then last = g[i + 1] end
            end
            if name == ARGV[1] and last then
              local unread = redis.call('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', 1)
              if #unread > 0 then
                local id = unread[1][1]
                if best == '' then best = id else
                  local a1, a2 = string.match(best, '(%d+)-(%d+)')
                  local b1, b2 = string.match(id, '(%d+)-(%d+)')
                  if tonumber(b1) < tonumber(a1) or (b1 == a1 and tonumber(b2) < tonumber(a2)) then best = id end
                end
              end
            end
          end
        end
        return {len, dead, best, 1}
        """;

    public async Task<OutboxCounts> CountsAsync(DateTimeOffset now)
    {
        var db = state.Db;
        var shards = await Task.WhenAll(PayoutKeys.AllShards.Select(async shard =>
        {
            var retrying = db.SortedSetLengthAsync(PayoutKeys.OutboxRetries(shard));
            var counted = (RedisResult[])(await db.ScriptEvaluateAsync(CountsScript,
                [PayoutKeys.Outbox(shard), PayoutKeys.OutboxDead(shard)], [Group, MaxOldestScan]))!;
            var oldestId = (string?)counted[2];
            DateTimeOffset? oldest = string.IsNullOrEmpty(oldestId)
                ? null
                : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(oldestId.AsSpan(0, oldestId.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture));
            return (Entries: (long)counted[0], Dead: (long)counted[1], Retrying: await retrying, Oldest: oldest, Estimate: (long)counted[3] == 1);
        }));
        var entries = shards.Sum(s => s.Entries);
        var dead = shards.Sum(s => s.Dead);
        var oldestAt = shards.Where(s => s.Oldest is not null).Select(s => s.Oldest!.Value).DefaultIfEmpty().Min();
        DateTimeOffset? oldestUndelivered = shards.Any(s => s.Oldest is not null) ? oldestAt : null;
        var age = oldestUndelivered is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0;
        return new OutboxCounts(entries, shards.Sum(s => s.Retrying), dead, Math.Max(0, entries - dead), oldestUndelivered, age,
            shards.Any(s => s.Estimate), now);
    }

    // KEYS: 1 stream, 2 dead, 3 attempts, 4 retries. ARGV: 1 cutoff ms, 2 max. Deletes dead letters older than the cutoff.
    private const string PurgeScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, id in ipairs(ids) do
          redis.call('XDEL', KEYS[1], id)
          redis.call('ZREM', KEYS[2], id)
          redis.call('HDEL', KEYS[3], id)
          redis.call('ZREM', KEYS[4], id)
        end
        return #ids
        """;

    public async Task<int> PurgeDeadLettersAsync(int shard, DateTimeOffset cutoff, int max) =>
        (int)(long)(await state.Db.ScriptEvaluateAsync(PurgeScript,
            [PayoutKeys.Outbox(shard), PayoutKeys.OutboxDead(shard), PayoutKeys.OutboxAttempts(shard), PayoutKeys.OutboxRetries(shard)],
            [cutoff.ToUnixTimeMilliseconds(), max]));

    // KEYS: 1 dead, 2 retries, 3 attempts. ARGV: 1 due ms, 2.. entry ids.
    private const string RedeliverScript = """
        local n = 0
        for i = 2, #ARGV do
          if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
            redis.call('HDEL', KEYS[3], ARGV[i])
            redis.call('ZADD', KEYS[2], ARGV[1], ARGV[i])
            n = n + 1
          end
        end
        return n
        """;

    public async Task<int> RedeliverAsync(string eventId, string client, DateTimeOffset now)
    {
        var payoutId = eventId.StartsWith("evt_", StringComparison.Ordinal) ? "po_" + eventId[4..] : eventId;
        var shard = PayoutKeys.ShardOf(payoutId);
        var db = state.Db;
        var dead = await db.SortedSetRangeByRankAsync(PayoutKeys.OutboxDead(shard), 0, MaxScannedPerShard - 1, Order.Descending);
        var entries = await Task.WhenAll(dead.Select(id => db.StreamRangeAsync(PayoutKeys.Outbox(shard), id, id)));
        var ids = entries.SelectMany(e => e)
            .Where(e => e["evt"] == eventId && e["client"] == client)
            .Select(e => (RedisValue)(string)e.Id!).ToArray();
        if (ids.Length == 0)
        {
            return 0;
        }

        return (int)(long)(await db.ScriptEvaluateAsync(RedeliverScript,
            [PayoutKeys.OutboxDead(shard), PayoutKeys.OutboxRetries(shard), PayoutKeys.OutboxAttempts(shard)],
            [now.ToUnixTimeMilliseconds(), .. ids]));
    }

    /// <summary>The entries of <paramref name="entries"/> that still exist, with their attempts so far.</summary>
    private async Task<IReadOnlyList<OutboxEntry>> WithAttemptsAsync(int shard, StreamEntry[] entries)
    {
        var live = entries.Where(e => !e.IsNull && e.Values is { Length: > 0 }).ToArray();
        if (live.Length == 0)
        {
            return [];
        }

        var attempts = await state.Db.HashGetAsync(PayoutKeys.OutboxAttempts(shard), [.. live.Select(e => (RedisValue)(string)e.Id!)]);
        return [.. live.Select((e, i) => new OutboxEntry(shard, (string)e.Id!, (string)e["evt"]!, (string)e["payout"]!, (string)e["client"]!,
            (string)e["endpoint"]!, (string)e["type"]!, (string)e["body"]!, attempts[i].IsNull ? 0 : (int)attempts[i]))];
    }
}
