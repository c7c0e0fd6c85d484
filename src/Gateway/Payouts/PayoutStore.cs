using System.Text.Json;
using Gateway.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Payouts;

/// <summary>A stored payout with the version its next write must match.</summary>
public sealed record StoredPayout(PayoutRecord Payout, string Client, long Version);

public enum SaveOutcome
{
    Saved,

    /// <summary>Someone else wrote first; the current record is returned.</summary>
    Conflict,

    /// <summary>The stored status is final and never changes; the stored record is returned.</summary>
    AlreadyFinal,
}

public sealed record SaveResult(SaveOutcome Outcome, StoredPayout Current);

/// <summary>
/// Payout state in Redis. Every write is one script that checks, in Redis, that the stored
/// status is still <c>processing</c> and the version is the one the writer read: a final
/// status can never be overwritten, whatever the C# above does. A final write starts the
/// retention TTL, takes the payout off the reconciler's list, ends its lease, and in the same
/// step files it in the list indexes and the per-minute and per-hour outcome counters on-call reads.
/// </summary>
public sealed class PayoutStore(IConnectionMultiplexer redis, IOptions<PayoutsOptions> options)
{
    // KEYS: 1 payout, 2 processing list, 3 lease, 4 client "processing" index, 5 client final-status
    // index, 6 client cause index, 7 client category index, 8 outcomes of the minute, 9 partner's
    // recent failures, 10 recent failed payouts of all clients, 11 outcomes of the hour. ARGV: 1 expected version, 2 status, 3 doc, 4 retention ms, 5 fingerprint,
    // 6 client, 7 id, 8 created (ms), 9 stats field, 10 latest field, 11 recent entry, 12 processing lifetime ms, 13 index lifetime ms.
    private const string SaveScript = """
        local function finish()
          if ARGV[2] == 'processing' then
            redis.call('PEXPIRE', KEYS[1], ARGV[12])
            return
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          redis.call('ZREM', KEYS[2], ARGV[7])
          redis.call('DEL', KEYS[3])
          redis.call('ZREM', KEYS[4], ARGV[7])
          redis.call('ZADD', KEYS[5], ARGV[8], ARGV[7])
          redis.call('PEXPIRE', KEYS[5], ARGV[13])
          redis.call('HINCRBY', KEYS[8], ARGV[9], 1)
          redis.call('EXPIRE', KEYS[8], 691200)
          redis.call('HINCRBY', KEYS[11], ARGV[9], 1)
          redis.call('EXPIRE', KEYS[11], 694800)
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
            redis.call('LPUSH', KEYS[10], ARGV[7])
            redis.call('LTRIM', KEYS[10], 0, 99)
            redis.call('PEXPIRE', KEYS[10], ARGV[13])
          end
        end
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status then
          -- The record vanished (Redis lost it): write it back rather than lose the payout.
          redis.call('HSET', KEYS[1], 'fp', ARGV[5], 'client', ARGV[6], 'status', ARGV[2], 'version', 1, 'doc', ARGV[3])
          finish()
          return {'saved', '1'}
        end
        if status ~= 'processing' then
          return {'final', redis.call('HGET', KEYS[1], 'version'), redis.call('HGET', KEYS[1], 'doc')}
        end
        local version = tonumber(redis.call('HGET', KEYS[1], 'version'))
        if version ~= tonumber(ARGV[1]) then
          return {'conflict', tostring(version), redis.call('HGET', KEYS[1], 'doc')}
        end
        redis.call('HSET', KEYS[1], 'status', ARGV[2], 'doc', ARGV[3], 'version', version + 1)
        finish()
        return {'saved', tostring(version + 1)}
        """;

    public async Task<StoredPayout?> GetAsync(string id)
    {
        var values = await redis.GetDatabase().HashGetAsync(PayoutKeys.Payout(id), ["client", "version", "doc"]);
        if (values[2].IsNull)
        {
            return null;
        }

        return new StoredPayout(Deserialize(values[2]!), values[0]!, (long)values[1]);
    }

    /// <summary>Writes <paramref name="payout"/> if the stored version is still <paramref name="expectedVersion"/> and not final.</summary>
    public async Task<SaveResult> SaveAsync(PayoutRecord payout, long expectedVersion, string fingerprint)
    {
        var status = StatusWord(payout.Status);
        var failure = payout.Failure;
        var completed = payout.CompletedAt ?? payout.CreatedAt;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(SaveScript,
            [
                PayoutKeys.Payout(payout.Id), PayoutKeys.Processing, PayoutKeys.Lease(payout.Id),
                PayoutKeys.ClientStatus(payout.Client, "processing"), PayoutKeys.ClientStatus(payout.Client, status),
                PayoutKeys.ClientCause(payout.Client, failure?.Cause ?? "-"), PayoutKeys.ClientCategory(payout.Client, failure?.Category ?? "-"),
                PayoutKeys.OutcomesMinute(completed.ToUnixTimeSeconds() / 60), PayoutKeys.RecentFailures(payout.Partner),
                PayoutKeys.RecentFailed, PayoutKeys.OutcomesHour(completed.ToUnixTimeSeconds() / 3600),
            ],
            [
                expectedVersion,
                status,
                JsonSerializer.Serialize(payout, GatewayJson.Options),
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
            ]))!;

        return ((string)result[0]!) switch
        {
            "saved" => new SaveResult(SaveOutcome.Saved, new StoredPayout(payout, payout.Client, (long)result[1])),
            "final" => new SaveResult(SaveOutcome.AlreadyFinal, new StoredPayout(Deserialize((string)result[2]!), payout.Client, (long)result[1])),
            _ => new SaveResult(SaveOutcome.Conflict, new StoredPayout(Deserialize((string)result[2]!), payout.Client, (long)result[1])),
        };
    }

    /// <summary>The last failed payouts of every client, newest first (at most 100).</summary>
    public async Task<IReadOnlyList<PayoutRecord>> RecentFailedAsync(int limit)
    {
        var db = redis.GetDatabase();
        var ids = await db.ListRangeAsync(PayoutKeys.RecentFailed, 0, limit - 1);
        var docs = await Task.WhenAll(ids.Select(id => db.HashGetAsync(PayoutKeys.Payout((string)id!), "doc")));
        return [.. docs.Where(d => !d.IsNull).Select(d => Deserialize((string)d!))];
    }

    /// <summary>Sets when a still-processing payout is next due for the reconciler (no-op once final).</summary>
    /// <remarks>A recheck also renews a processing payout's bounded lifetime; a final payout keeps its retention.</remarks>
    public Task RescheduleAsync(string id, DateTimeOffset dueAt) =>
        redis.GetDatabase().ScriptEvaluateAsync(RescheduleScript,
            [PayoutKeys.Payout(id), PayoutKeys.Processing],
            [dueAt.ToUnixTimeMilliseconds(), id, (long)options.Value.ProcessingLifetime.TotalMilliseconds]);

    private const string RescheduleScript = """
        if redis.call('HGET', KEYS[1], 'status') == 'processing' then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        return redis.call('ZADD', KEYS[2], 'XX', ARGV[1], ARGV[2])
        """;

    public async Task<string?> FingerprintAsync(string id) =>
        await redis.GetDatabase().HashGetAsync(PayoutKeys.Payout(id), "fp");

    private static string StatusWord(PayoutStatus status) => status switch
    {
        PayoutStatus.Succeeded => "succeeded",
        PayoutStatus.Failed => "failed",
        _ => "processing",
    };

    private static PayoutRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<PayoutRecord>(json, GatewayJson.Options)
        ?? throw new InvalidOperationException("A stored payout document is empty.");
}
