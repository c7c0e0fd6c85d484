using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>What a takeover attempt found.</summary>
public enum TakeOverOutcome
{
    /// <summary>The lease was free: this instance holds it now, with a new fencing token.</summary>
    Taken,

    /// <summary>Someone holds the lease (alive and renewing).</summary>
    Held,

    /// <summary>The payout's record is gone (data loss): nothing was taken.</summary>
    Missing,
}

public readonly record struct TakeOver(TakeOverOutcome Outcome, long Token = 0);

/// <summary>
/// Who is driving a processing payout right now: <c>gw:lease:{id}</c> holds
/// <c>&lt;instance&gt;|&lt;token&gt;</c> with a TTL that the owner keeps renewing. The token is a
/// fencing token: the payout value's <c>fence</c> field is the highest one issued (the claim
/// issues 1; a takeover increments it in the same script that sets the lease), and every write
/// of the payout and every send intent is refused unless it carries the current one. An instance
/// paused past its lease therefore cannot send or write once another took over. Renewal extends a
/// lease only while the stored token is still this instance's; a lease that lapsed while nobody
/// took over (fence still ours, e.g. Redis restarted past the TTL) may be set again.
/// The tokens of the leases this instance holds are kept here (<see cref="Hold"/>), so the lease
/// keeper renews exactly those.
/// </summary>
public sealed class PayoutLeases(StateDatabase state, InstanceIdentity instance, IOptions<RecoveryOptions> options)
{
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);

    // KEYS: lease, payout pairs, all of one shard. ARGV: 1 ttl ms, then one lease value and one token per pair.
    private const string RenewScript = PayoutValue.LuaFunctions + """
        local lost = {}
        for i = 1, #KEYS / 2 do
          local lease = KEYS[2 * i - 1]
          local value = ARGV[2 * i]
          local current = redis.call('GET', lease)
          if current == value then
            redis.call('PEXPIRE', lease, ARGV[1])
          elseif not current and (load(KEYS[2 * i]) or {}).fence == tonumber(ARGV[2 * i + 1]) then
            redis.call('SET', lease, value, 'PX', ARGV[1])
          else
            table.insert(lost, i)
          end
        end
        return lost
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private const string TakeOverScript = PayoutValue.LuaFunctions + """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          return {'held'}
        end
        local p = load(KEYS[2])
        if not p then
          return {'missing'}
        end
        p.fence = p.fence + 1
        save(KEYS[2], p)
        local token = string.format('%d', p.fence)
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
        return {'taken', token}
        """;

    private long TtlMs => (long)options.Value.LeaseTtl.TotalMilliseconds;

    /// <summary>The lease value of <paramref name="instance"/> holding <paramref name="token"/>.</summary>
    public static string Value(InstanceIdentity instance, long token) =>
        instance.Id + "|" + token.ToString(CultureInfo.InvariantCulture);

    /// <summary>The token in a lease value, or null when it is not one.</summary>
    public static long? TokenOf(string? leaseValue) =>
        leaseValue?.LastIndexOf('|') is { } bar and >= 0
        && long.TryParse(leaseValue.AsSpan(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var token)
            ? token
            : null;

    /// <summary>Takes the lease if nobody holds it, issuing the next fencing token (one script).</summary>
    public async Task<TakeOver> TryTakeOverAsync(string payoutId)
    {
        // On the claims connection (the main one without Redis:ClaimReplicas): the takeover write
        // follows the claim in the primary's replication stream, so a WAIT on that connection that
        // sees it acknowledged proves the claim is on the replicas too (IdempotencyStore.ConfirmDurableAsync).
        var result = (RedisResult[])(await state.ClaimDb.ScriptEvaluateAsync(TakeOverScript,
            [PayoutKeys.Lease(payoutId), PayoutKeys.Payout(payoutId)], [instance.Id, TtlMs]))!;
        return (string)result[0]! switch
        {
            "taken" => new TakeOver(TakeOverOutcome.Taken, long.Parse((string)result[1]!, CultureInfo.InvariantCulture)),
            "missing" => new TakeOver(TakeOverOutcome.Missing),
            _ => new TakeOver(TakeOverOutcome.Held),
        };
    }

    /// <summary>How many leases this instance holds now (for the <c>gateway.recovery.leases.held</c> gauge).</summary>
    public int HeldCount => _held.Count;

    /// <summary>This instance drives <paramref name="payoutId"/> with <paramref name="token"/>: renew that lease.</summary>
    public void Hold(string payoutId, long token) => _held[payoutId] = token;

    /// <summary>This instance stopped driving <paramref name="payoutId"/> (with <paramref name="token"/>).</summary>
    public void Forget(string payoutId, long token) =>
        _held.TryRemove(new KeyValuePair<string, long>(payoutId, token));

    /// <summary>
    /// Extends the leases this instance still holds (with the token it holds them with); returns
    /// the ids it no longer holds. Ids without a known token are left alone. One script per shard
    /// (a script's keys share one hash slot), all sent together.
    /// </summary>
    public async Task<IReadOnlyList<string>> RenewAsync(IReadOnlyList<string> payoutIds)
    {
        var held = payoutIds.Select(id => (Id: id, Token: _held.TryGetValue(id, out var t) ? t : 0)).Where(h => h.Token > 0).ToList();
        var lost = await Task.WhenAll(held.GroupBy(h => PayoutKeys.ShardOf(h.Id)).Select(shard => RenewShardAsync([.. shard])));
        return [.. lost.SelectMany(ids => ids)];
    }

    private async Task<IReadOnlyList<string>> RenewShardAsync(IReadOnlyList<(string Id, long Token)> held)
    {
        var keys = held.SelectMany(h => new[] { PayoutKeys.Lease(h.Id), PayoutKeys.Payout(h.Id) }).ToArray();
        var args = new List<RedisValue> { TtlMs };
        foreach (var (id, token) in held)
        {
            args.Add(Value(instance, token));
            args.Add(token);
        }

        var lost = (RedisResult[])(await state.Db.ScriptEvaluateAsync(RenewScript, keys, [.. args]))!;
        return [.. lost.Select(i => held[(int)i - 1].Id)];
    }

    /// <summary>Ends the lease if this instance still holds it with <paramref name="token"/>.</summary>
    public Task ReleaseAsync(string payoutId, long token) =>
        state.Db.ScriptEvaluateAsync(ReleaseScript, [PayoutKeys.Lease(payoutId)], [Value(instance, token)]);
}
