using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Gateway.Core;

namespace Gateway.Storage;

public enum ClaimOutcome
{
    /// <summary>The key was free: the payout is now recorded as processing and this request owns it.</summary>
    Created,

    /// <summary>Same key, same body, first request finished: replay the current payout.</summary>
    Replay,

    /// <summary>Same key, same body, first request still running: 409 with Retry-After.</summary>
    InFlight,

    /// <summary>Same key, different body: 422.</summary>
    Mismatch,

    /// <summary>
    /// The key is free, but the shard's epoch marker is missing or not this instance's epoch: the
    /// store lost its data (<see cref="StoreEpoch"/>), so the key may have been answered before.
    /// Nothing was written.
    /// </summary>
    StoreLost,
}

public sealed record ClaimResult(ClaimOutcome Outcome, PayoutRecord? Current = null, TimeSpan RetryAfter = default);

/// <summary>
/// Claims an Idempotency-Key in one Lua script, never a read then a write: it creates the payout
/// (status processing, fencing token 1) with its first send intent when the partner is already
/// chosen, marks the request in flight, takes the payout's lease for this instance, puts the payout
/// on the reconciler's list and in the client's "processing" index — or reports what already holds
/// the key. The payout id is derived from (client, key), so the payout value is the key's record
/// and scoping per client is built in.
/// <para>
/// A new payout is created only while the shard's epoch marker holds the epoch this instance read
/// (<see cref="StoreEpoch"/>), checked inside the same script: after Redis lost its data the key may
/// have been answered before, so it is refused (<see cref="ClaimOutcome.StoreLost"/>) rather than
/// sent again blind. A key whose record exists replays as always. Without a <see cref="StoreEpoch"/>
/// (tools and tests that build the store by hand) the marker is not checked.
/// </para>
/// </summary>
public sealed class IdempotencyStore(
    StateDatabase state, InstanceIdentity instance, IOptions<RecoveryOptions> recovery, IOptions<PayoutsOptions> payouts,
    StoreEpoch? epoch = null)
{
    private const string Unchecked = "*";

    // KEYS (all in the payout's shard): 1 payout, 2 in-flight marker, 3 processing list, 4 lease, 5 client "processing" index,
    // 6 the shard's epoch marker.
    // ARGV: 1 fingerprint, 2 client, 3 doc, 4 in-flight ms, 5 reconciler due ms, 6 id, 7 lease value,
    // 8 lease ttl ms, 9 created ms, 10 processing lifetime ms, 11 index lifetime ms, 12 first send intent ('' for none),
    // 13 the instance's epoch ('' when it has none: always refused; '*' not checked).
    private const string ClaimScript = PayoutValue.LuaFunctions + """
        local p = load(KEYS[1])
        if not p then
          if ARGV[13] ~= '*' and redis.call('GET', KEYS[6]) ~= ARGV[13] then
            return {'store_lost'}
          end
          create(KEYS[1], {status = 'processing', version = 1, fence = 1, fp = ARGV[1], client = ARGV[2], intents = ARGV[12], doc = ARGV[3]}, ARGV[10])
          redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
          redis.call('ZADD', KEYS[3], ARGV[5], ARGV[6])
          redis.call('SET', KEYS[4], ARGV[7], 'PX', ARGV[8])
          redis.call('ZADD', KEYS[5], ARGV[9], ARGV[6])
          redis.call('PEXPIRE', KEYS[5], ARGV[11])
          return {'created'}
        end
        if p.fp ~= ARGV[1] then
          return {'mismatch'}
        end
        if p.status == 'processing' then
          local ttl = redis.call('PTTL', KEYS[2])
          if ttl > 0 then
            return {'in_flight', tostring(ttl)}
          end
        end
        return {'replay', p.doc}
        """;

    /// <summary>
    /// Claims the key for <paramref name="payout"/>. <paramref name="firstIntent"/>, when given, is
    /// recorded with it: the write-ahead intent of the first send, so the send needs no write of its own.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(PayoutRecord payout, string fingerprint, TimeSpan inFlightFor, SendIntent? firstIntent = null)
    {
        var shard = PayoutKeys.ShardOf(payout.Id);
        var expected = epoch is null ? Unchecked : await epoch.EnsureKnownAsync() ?? "";
        var result = (RedisResult[])(await state.ClaimDb.ScriptEvaluateAsync(ClaimScript,
            [
                PayoutKeys.Payout(payout.Id), PayoutKeys.InFlight(payout.Id), PayoutKeys.ProcessingOf(payout.Id), PayoutKeys.Lease(payout.Id),
                PayoutKeys.ClientStatus(shard, payout.Client, "processing"), StoreEpoch.Marker(shard),
            ],
            [
                fingerprint,
                payout.Client,
                PayoutDocument.Write(payout),
                (long)inFlightFor.TotalMilliseconds,
                // Due for the reconciler only once this instance's lease could have lapsed.
                (payout.CreatedAt + recovery.Value.LeaseTtl).ToUnixTimeMilliseconds(),
                payout.Id,
                PayoutLeases.Value(instance, 1),
                (long)recovery.Value.LeaseTtl.TotalMilliseconds,
                payout.CreatedAt.ToUnixTimeMilliseconds(),
                (long)payouts.Value.ProcessingLifetime.TotalMilliseconds,
                (long)payouts.Value.IndexLifetime.TotalMilliseconds,
                firstIntent?.Encode() ?? "",
                expected,
            ]))!;

        return ((string)result[0]!) switch
        {
            "created" => new ClaimResult(ClaimOutcome.Created, payout),
            "mismatch" => new ClaimResult(ClaimOutcome.Mismatch),
            "store_lost" => new ClaimResult(ClaimOutcome.StoreLost),
            "in_flight" => new ClaimResult(ClaimOutcome.InFlight, RetryAfter: TimeSpan.FromMilliseconds((long)result[1])),
            _ => new ClaimResult(ClaimOutcome.Replay, PayoutDocument.Read((string)result[1]!)),
        };
    }

    /// <summary>
    /// Whether a new payout's claim is safe on <see cref="StateStoreOptions.ClaimReplicas"/> replicas
    /// (always, when none are asked for): Redis <c>WAIT</c> on the claims connection, sent to the
    /// payout's primary, after the claim was written on that connection. False: the claim may be lost
    /// by a failover, so no partner may hear of the payout from this request.
    /// </summary>
    public async Task<bool> ConfirmDurableAsync(string payoutId)
    {
        if (state.ClaimReplicas == 0)
        {
            return true;
        }

        var db = state.ClaimDb;
        if (db.IdentifyEndpoint(PayoutKeys.Payout(payoutId)) is not { } primary)
        {
            return false;
        }

        try
        {
            var acknowledged = (long)await state.ClaimConnection.GetServer(primary).ExecuteAsync(
                "WAIT", state.ClaimReplicas, (long)state.ClaimReplicaTimeout.TotalMilliseconds);
            return acknowledged >= state.ClaimReplicas;
        }
        catch (RedisServerException)
        {
            // e.g. the node turned replica in a failover: not confirmed.
            return false;
        }
    }

    /// <summary>The first of <paramref name="payoutIds"/> that Redis holds a payout for, if any (ids of a previous id secret).</summary>
    public async Task<string?> FindExistingAsync(IReadOnlyList<string> payoutIds)
    {
        var db = state.Db;
        foreach (var id in payoutIds)
        {
            if (await db.KeyExistsAsync(PayoutKeys.Payout(id)))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The creating request has answered: later requests with the key replay.</summary>
    public Task ReleaseAsync(string payoutId) =>
        state.Db.KeyDeleteAsync(PayoutKeys.InFlight(payoutId));
}
