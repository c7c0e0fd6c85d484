using System.Text.Json;
using Gateway.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Gateway.Core;

namespace Gateway.Storage;

/// <summary>
/// A stored payout with the version its next write must match, the fencing token its writer
/// holds (<see cref="Fence"/>), and the write-ahead send intents: every partner that may have
/// heard of it.
/// </summary>
public sealed record StoredPayout(PayoutRecord Payout, string Client, long Version, long Fence = 1)
{
    public IReadOnlyList<SendIntent> Intents { get; init; } = [];

    /// <summary>The request fingerprint stored with the payout (null when not read).</summary>
    public string? Fingerprint { get; init; }
}

/// <summary>
/// A disbursement about to be sent, recorded in Redis before the partner can hear of it: the
/// partner, when, and the fencing token of the instance that sent it (the reference is the payout id).
/// </summary>
public sealed record SendIntent(string Partner, DateTimeOffset At, long Token)
{
    internal string Encode() => $"{Partner}|{At.ToUnixTimeMilliseconds()}|{Token};";

    internal static IReadOnlyList<SendIntent> Decode(string? text) =>
        string.IsNullOrEmpty(text)
            ? []
            : [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(entry => entry.Split('|')).Select(parts =>
                new SendIntent(parts[0], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)),
                    long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)))];
}

public enum IntentOutcome
{
    /// <summary>Recorded: the writer still holds the payout and may send.</summary>
    Recorded,

    /// <summary>Another instance holds a newer fencing token: do not send, stop driving the payout.</summary>
    Fenced,

    /// <summary>The payout is final already: never send.</summary>
    AlreadyFinal,
}

public sealed record IntentResult(IntentOutcome Outcome, long CurrentFence, StoredPayout? Final = null);

public enum SaveOutcome
{
    Saved,

    /// <summary>Someone else wrote first; the current record is returned. With fencing this means another writer: stop.</summary>
    Conflict,

    /// <summary>The writer's fencing token is no longer the payout's: another instance took it over. Nothing was written.</summary>
    Fenced,

    /// <summary>The stored status is final and never changes; the stored record is returned.</summary>
    AlreadyFinal,
}

public sealed record SaveResult(SaveOutcome Outcome, StoredPayout Current, long CurrentFence = 0);

/// <summary>
/// Payout state in Redis. Every write is one script that checks, in Redis, that the stored
/// status is still <c>processing</c> and the version is the one the writer read: a final
/// status can never be overwritten, whatever the C# above does. A final write starts the
/// retention TTL, takes the payout off the reconciler's list, ends its lease, and in the same
/// step files it in the list indexes and the per-minute and per-hour outcome counters on-call reads.
/// <para>
/// Fencing: the value's <c>fence</c> field is the highest lease token issued for the payout (the
/// claim issues 1, every takeover increments it). Every write — a save, a reschedule, a send
/// intent — carries the writer's token and is refused (<see cref="SaveOutcome.Fenced"/>) unless it
/// is still the current one, so an instance that lost its lease (a pause, a partition) can neither
/// send nor write. A version conflict under a valid token is never resolved by overwriting.
/// </para>
/// <para>
/// Data loss heals: a write that finds the value gone (Redis lost it) restores, in the same script,
/// the record, the fence (at the writer's token), the writer's lease, the reconciler entry (when
/// not final) and the client's indexes.
/// </para>
/// </summary>
public sealed class PayoutStore(
    StateDatabase state, IOptions<PayoutsOptions> options, InstanceIdentity instance, IOptions<RecoveryOptions> recovery,
    TimeProvider time, IFinalStatusEvents? events = null)
{
    // KEYS (all in the payout's shard, PayoutKeys): 1 payout, 2 processing list, 3 lease, 4 client "processing" index, 5 client final-status
    // index, 6 client cause index, 7 client category index, 8 outcomes of the minute, 9 partner's
    // recent failures, 10 recent failed payouts of all clients, 11 outcomes of the hour, 12 the
    // in-flight marker of the creating request (a final payout replays: the marker has no more use).
    // ARGV: 1 expected version, 2 status, 3 doc, 4 retention ms, 5 fingerprint, 6 client, 7 id, 8 created (ms),
    // 9 stats field, 10 latest field, 11 recent entry, 12 processing lifetime ms, 13 index lifetime ms,
    // 14 writer's fencing token, 15 lease value, 16 lease ttl ms, 17 reconciler due (ms), 18 known send intents,
    // 19 recent-failed entry (completed ms|id), 20 webhook event id ('' when the client has no webhook), 21 event type,
    // 22 event body, 23 the client's webhook endpoint names (space-separated), 24.. per-hop fields (h|partner|kind: every
    // partner a final payout was attempted at and what that hop counts as, ok / partner / business), each counted once
    // in KEYS[8] and KEYS[11]. KEYS[13] the shard's webhook outbox: the event is appended (one entry per endpoint) in
    // the same step that makes the payout final, so neither can exist without the other; a save over a final status
    // returns before this, so the event is recorded once.
    private const string SaveScript = PayoutValue.LuaFunctions + """
        local function finish()
          if ARGV[2] == 'processing' then
            redis.call('PEXPIRE', KEYS[1], ARGV[12])
            return
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          redis.call('ZREM', KEYS[2], ARGV[7])
          redis.call('DEL', KEYS[3], KEYS[12])
          redis.call('ZREM', KEYS[4], ARGV[7])
          redis.call('ZADD', KEYS[5], ARGV[8], ARGV[7])
          redis.call('PEXPIRE', KEYS[5], ARGV[13])
          redis.call('HINCRBY', KEYS[8], ARGV[9], 1)
          redis.call('EXPIRE', KEYS[8], 691200)
          redis.call('HINCRBY', KEYS[11], ARGV[9], 1)
          redis.call('EXPIRE', KEYS[11], 694800)
          if ARGV[20] ~= '' then
            for name in string.gmatch(ARGV[23], '%S+') do
              redis.call('XADD', KEYS[13], '*', 'evt', ARGV[20], 'payout', ARGV[7], 'client', ARGV[6], 'endpoint', name,
                'type', ARGV[21], 'body', ARGV[22])
            end
          end
          for i = 24, #ARGV do
            redis.call('HINCRBY', KEYS[8], ARGV[i], 1)
            redis.call('HINCRBY', KEYS[11], ARGV[i], 1)
          end
          if ARGV[2] == 'failed' then
            redis.call('ZADD', KEYS[6], ARGV[8], ARGV[7])
            redis.call('PEXPIRE', KEYS[6], ARGV[13])
            redis.call('ZADD', KEYS[7], ARGV[8], ARGV[7])
            redis.call('PEXPIRE', KEYS[7], ARGV[13])
            redis.call('HSET', KEYS[8], ARGV[10], ARGV[7])
            redis.call('HSET', KEYS[11], ARGV[10], ARGV[7])
            redis.call('LPUSH', KEYS[9], ARGV[11])
            redis.call('LTRIM', KEYS[9], 0, 19)
            redis.call('PEXPIRE', KEYS[9], ARGV[13])
            redis.call('LPUSH', KEYS[10], ARGV[19])
            redis.call('LTRIM', KEYS[10], 0, 99)
            redis.call('PEXPIRE', KEYS[10], ARGV[13])
          end
        end
        local p = load(KEYS[1])
        if not p then
          -- The record vanished (Redis lost it): write it back, with the writer's lease, the
          -- reconciler entry and the indexes, rather than lose the payout.
          create(KEYS[1], {status = ARGV[2], version = 1, fence = tonumber(ARGV[14]), fp = ARGV[5], client = ARGV[6],
            intents = ARGV[18], doc = ARGV[3]}, ARGV[12])
          if ARGV[2] == 'processing' then
            redis.call('SET', KEYS[3], ARGV[15], 'PX', ARGV[16])
            redis.call('ZADD', KEYS[2], ARGV[17], ARGV[7])
            redis.call('ZADD', KEYS[4], ARGV[8], ARGV[7])
            redis.call('PEXPIRE', KEYS[4], ARGV[13])
          end
          finish()
          return {'saved', '1'}
        end
        if p.status ~= 'processing' then
          return {'final', tostring(p.version), p.doc}
        end
        if p.fence ~= tonumber(ARGV[14]) then
          return {'fenced', tostring(p.version), p.doc, tostring(p.fence)}
        end
        if p.version ~= tonumber(ARGV[1]) then
          return {'conflict', tostring(p.version), p.doc}
        end
        p.status = ARGV[2]
        p.doc = ARGV[3]
        p.version = p.version + 1
        save(KEYS[1], p)
        finish()
        return {'saved', tostring(p.version)}
        """;

    public async Task<StoredPayout?> GetAsync(string id) =>
        PayoutValue.Parse(await state.Db.StringGetAsync(PayoutKeys.Payout(id)))?.ToStored();

    /// <summary>The payout and who holds its lease now (null when nobody), read together.</summary>
    public async Task<(StoredPayout? Stored, string? LeaseHolder)> GetWithLeaseAsync(string id)
    {
        var stored = GetAsync(id);
        var lease = state.Db.StringGetAsync(PayoutKeys.Lease(id));
        return (await stored, await lease);
    }

    /// <summary>
    /// Writes <paramref name="payout"/> if the writer's <paramref name="fence"/> is still the payout's,
    /// the stored version is still <paramref name="expectedVersion"/> and the status is not final.
    /// <paramref name="intents"/> (the writer's view of the send intents) is only used to restore a lost record.
    /// <paramref name="hopFields"/> (<c>h|partner|kind</c>, one per partner the payout was attempted at) are
    /// counted in the minute and hour outcome hashes when, and only when, this write makes the payout final.
    /// </summary>
    public async Task<SaveResult> SaveAsync(PayoutRecord payout, long expectedVersion, string fingerprint, long fence,
        IReadOnlyList<SendIntent>? intents = null, IReadOnlyList<string>? hopFields = null)
    {
        var status = PayoutValue.StatusWord(payout.Status);
        var failure = payout.Failure;
        var completed = payout.CompletedAt ?? payout.CreatedAt;
        var now = time.GetUtcNow();
        var shard = PayoutKeys.ShardOf(payout.Id);
        var webhook = payout.Status == PayoutStatus.Processing ? null : events?.EventOf(payout);
        var result = (RedisResult[])(await state.Db.ScriptEvaluateAsync(SaveScript,
            [
                PayoutKeys.Payout(payout.Id), PayoutKeys.Processing(shard), PayoutKeys.Lease(payout.Id),
                PayoutKeys.ClientStatus(shard, payout.Client, "processing"), PayoutKeys.ClientStatus(shard, payout.Client, status),
                PayoutKeys.ClientCause(shard, payout.Client, failure?.Cause ?? "-"), PayoutKeys.ClientCategory(shard, payout.Client, failure?.Category ?? "-"),
                PayoutKeys.OutcomesMinute(shard, completed.ToUnixTimeSeconds() / 60), PayoutKeys.RecentFailures(shard, payout.Partner),
                PayoutKeys.RecentFailed(shard), PayoutKeys.OutcomesHour(shard, completed.ToUnixTimeSeconds() / 3600), PayoutKeys.InFlight(payout.Id),
                PayoutKeys.Outbox(shard),
            ],
            [
                expectedVersion,
                status,
                // The claim id only tells a lost claim reply's own record from a duplicate's while it is new: a final
                // record, kept for the retention, drops it.
                PayoutDocument.Write(payout.IsFinal ? payout with { Claim = null } : payout),
                (long)options.Value.RetentionAfterFinal.TotalMilliseconds,
                fingerprint,
                payout.Client,
                payout.Id,
                payout.CreatedAt.ToUnixTimeMilliseconds(),
                failure is null ? $"s|{payout.Partner}" : $"f|{failure.Category}|{failure.Cause}|{payout.Partner}",
                failure is null ? "" : $"latest|{failure.Category}|{failure.Cause}|{payout.Partner}",
                failure is null ? "" : $"{failure.Cause}|{payout.Id}|{completed.ToUnixTimeMilliseconds()}",
                (long)options.Value.ProcessingLifetime.TotalMilliseconds,
                (long)options.Value.IndexLifetime.TotalMilliseconds,
                fence,
                PayoutLeases.Value(instance, fence),
                (long)recovery.Value.LeaseTtl.TotalMilliseconds,
                (now + recovery.Value.LeaseTtl).ToUnixTimeMilliseconds(),
                string.Concat((intents ?? []).Select(i => i.Encode())),
                failure is null ? "" : $"{completed.ToUnixTimeMilliseconds()}|{payout.Id}",
                webhook?.EventId ?? "",
                webhook?.Type ?? "",
                webhook?.Body ?? "",
                webhook is null ? "" : string.Join(' ', webhook.Endpoints),
                .. (hopFields ?? []).Select(field => (RedisValue)field),
            ]))!;

        return ((string)result[0]!) switch
        {
            "saved" => new SaveResult(SaveOutcome.Saved, new StoredPayout(payout, payout.Client, (long)result[1], fence), fence),
            "final" => new SaveResult(SaveOutcome.AlreadyFinal, new StoredPayout(PayoutDocument.Read((string)result[2]!), payout.Client, (long)result[1], fence)),
            "fenced" => new SaveResult(SaveOutcome.Fenced, new StoredPayout(PayoutDocument.Read((string)result[2]!), payout.Client, (long)result[1], (long)result[3]), (long)result[3]),
            _ => new SaveResult(SaveOutcome.Conflict, new StoredPayout(PayoutDocument.Read((string)result[2]!), payout.Client, (long)result[1], fence), fence),
        };
    }

    // KEYS (all in the payout's shard): 1 payout, 2 lease, 3 processing list, 4 client "processing" index.
    // ARGV: 1 token, 2 intent entry, 3 lease value, 4 lease ttl ms, 5 doc, 6 fingerprint, 7 client, 8 id,
    // 9 created ms, 10 reconciler due ms, 11 index lifetime ms, 12 processing lifetime ms, 13 intents known to the writer.
    private const string IntentScript = PayoutValue.LuaFunctions + """
        local p = load(KEYS[1])
        if not p then
          create(KEYS[1], {status = 'processing', version = 1, fence = tonumber(ARGV[1]), fp = ARGV[6], client = ARGV[7],
            intents = ARGV[13] .. ARGV[2], doc = ARGV[5]}, ARGV[12])
          redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
          redis.call('ZADD', KEYS[3], ARGV[10], ARGV[8])
          redis.call('ZADD', KEYS[4], ARGV[9], ARGV[8])
          redis.call('PEXPIRE', KEYS[4], ARGV[11])
          return {'recorded', ARGV[1]}
        end
        if p.status ~= 'processing' then
          return {'final', tostring(p.version), p.doc}
        end
        if p.fence ~= tonumber(ARGV[1]) then
          return {'fenced', tostring(p.fence)}
        end
        p.intents = p.intents .. ARGV[2]
        save(KEYS[1], p)
        redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
        return {'recorded', ARGV[1]}
        """;

    /// <summary>
    /// Records, before the partner can hear of it, that <paramref name="intent"/>'s partner is about
    /// to get a disbursement of <paramref name="payout"/>: only if the writer's token is still the
    /// payout's fence (then the lease is renewed to a full TTL for the call). Restores a lost record.
    /// </summary>
    public async Task<IntentResult> RecordIntentAsync(PayoutRecord payout, string fingerprint, SendIntent intent,
        IReadOnlyList<SendIntent> known)
    {
        var now = intent.At;
        var result = (RedisResult[])(await state.Db.ScriptEvaluateAsync(IntentScript,
            [
                PayoutKeys.Payout(payout.Id), PayoutKeys.Lease(payout.Id), PayoutKeys.ProcessingOf(payout.Id),
                PayoutKeys.ClientStatus(PayoutKeys.ShardOf(payout.Id), payout.Client, "processing"),
            ],
            [
                intent.Token,
                intent.Encode(),
                PayoutLeases.Value(instance, intent.Token),
                (long)recovery.Value.LeaseTtl.TotalMilliseconds,
                PayoutDocument.Write(payout with { Partner = intent.Partner }),
                fingerprint,
                payout.Client,
                payout.Id,
                payout.CreatedAt.ToUnixTimeMilliseconds(),
                (now + recovery.Value.LeaseTtl).ToUnixTimeMilliseconds(),
                (long)options.Value.IndexLifetime.TotalMilliseconds,
                (long)options.Value.ProcessingLifetime.TotalMilliseconds,
                string.Concat(known.Select(i => i.Encode())),
            ]))!;

        return ((string)result[0]!) switch
        {
            "recorded" => new IntentResult(IntentOutcome.Recorded, intent.Token),
            "fenced" => new IntentResult(IntentOutcome.Fenced, (long)result[1]),
            _ => new IntentResult(IntentOutcome.AlreadyFinal, intent.Token,
                new StoredPayout(PayoutDocument.Read((string)result[2]!), payout.Client, (long)result[1], intent.Token)),
        };
    }

    /// <summary>The last failed payouts of every client, newest first (at most 100).</summary>
    /// <remarks>Every shard's newest <paramref name="limit"/> (one pipelined fan-out), merged by completion time.</remarks>
    public async Task<IReadOnlyList<PayoutRecord>> RecentFailedAsync(int limit)
    {
        var db = state.Db;
        var shards = await Task.WhenAll(PayoutKeys.AllShards.Select(shard => db.ListRangeAsync(PayoutKeys.RecentFailed(shard), 0, limit - 1)));
        var ids = shards.SelectMany(entries => entries.Select(e => ((string)e!).Split('|', 2)))
            .OrderByDescending(parts => long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture))
            .Take(limit).Select(parts => parts[1]);
        var values = await Task.WhenAll(ids.Select(id => db.StringGetAsync(PayoutKeys.Payout(id))));
        return [.. values.Select(v => PayoutValue.Parse(v)).OfType<PayoutValue>().Select(v => PayoutDocument.Read(v.Doc))];
    }

    /// <summary>Sets when a still-processing payout is next due for the reconciler (no-op once final).</summary>
    /// <remarks>A recheck also renews a processing payout's bounded lifetime; a final payout keeps its retention.</remarks>
    /// <remarks>Fenced: refused (false) when <paramref name="fence"/> is no longer the payout's token.</remarks>
    public async Task<bool> RescheduleAsync(string id, DateTimeOffset dueAt, long fence) =>
        (long)(await state.Db.ScriptEvaluateAsync(RescheduleScript,
            [PayoutKeys.Payout(id), PayoutKeys.ProcessingOf(id)],
            [dueAt.ToUnixTimeMilliseconds(), id, (long)options.Value.ProcessingLifetime.TotalMilliseconds, fence])) >= 0;

    private const string RescheduleScript = PayoutValue.LuaFunctions + """
        local p = load(KEYS[1])
        if p and p.fence ~= tonumber(ARGV[4]) then
          return -1
        end
        if p and p.status == 'processing' then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        return redis.call('ZADD', KEYS[2], 'XX', ARGV[1], ARGV[2])
        """;

    /// <summary>
    /// The reconciler's work list: ids of payouts not yet final that are due at <paramref name="now"/>,
    /// earliest first, skipping <paramref name="skip"/>: every shard's first <c>skip + take</c>, merged.
    /// </summary>
    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int skip, int take)
    {
        var db = state.Db;
        var shards = await Task.WhenAll(PayoutKeys.AllShards.Select(shard => db.SortedSetRangeByScoreWithScoresAsync(
            PayoutKeys.Processing(shard), double.NegativeInfinity, now.ToUnixTimeMilliseconds(), skip: 0, take: skip + take)));
        return [.. shards.SelectMany(entries => entries).OrderBy(e => e.Score).ThenBy(e => (string)e.Element!, StringComparer.Ordinal)
            .Skip(skip).Take(take).Select(e => (string)e.Element!)];
    }

    /// <summary>Moves a listed payout's next check to <paramref name="dueAt"/> (no-op when it is not listed; unfenced: the reconciler's own bookkeeping).</summary>
    public Task PushBackAsync(string id, DateTimeOffset dueAt) =>
        state.Db.SortedSetAddAsync(PayoutKeys.ProcessingOf(id), id, dueAt.ToUnixTimeMilliseconds(), SortedSetWhen.Exists);

    /// <summary>Takes a final payout off the reconciler's work list.</summary>
    public Task UnlistAsync(string id) =>
        state.Db.SortedSetRemoveAsync(PayoutKeys.ProcessingOf(id), id);

    /// <summary>The last failures at <paramref name="partner"/>, newest first: <c>cause|payoutId|completedAt</c>.</summary>
    public async Task<IReadOnlyList<string>> RecentFailuresAsync(string partner, int limit)
    {
        var db = state.Db;
        var shards = await Task.WhenAll(PayoutKeys.AllShards.Select(shard => db.ListRangeAsync(PayoutKeys.RecentFailures(shard, partner), 0, limit - 1)));
        return [.. shards.SelectMany(entries => entries.Select(e => (string)e!))
            .OrderByDescending(entry => long.TryParse(entry[(entry.LastIndexOf('|') + 1)..], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : 0)
            .Take(limit)];
    }

    public async Task<string?> FingerprintAsync(string id) =>
        PayoutValue.Parse(await state.Db.StringGetAsync(PayoutKeys.Payout(id)))?.Fingerprint;
}
