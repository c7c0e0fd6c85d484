using Gateway.Payouts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Recovery;

/// <summary>
/// Who is driving a processing payout right now: <c>gw:lease:{id}</c> holds the owning
/// instance with a TTL that the owner keeps renewing. The claim script takes the lease when a
/// payout is created; a final save deletes it. A lease that lapses marks a payout whose owner
/// died, for any instance's reconciler to take over.
/// </summary>
public sealed class PayoutLeases(IConnectionMultiplexer redis, InstanceIdentity instance, IOptions<RecoveryOptions> options)
{
    private const string RenewScript = """
        local lost = {}
        for i, key in ipairs(KEYS) do
          if redis.call('GET', key) == ARGV[1] then
            redis.call('PEXPIRE', key, ARGV[2])
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

    private long TtlMs => (long)options.Value.LeaseTtl.TotalMilliseconds;

    /// <summary>Takes the lease if nobody holds it.</summary>
    public Task<bool> TryAcquireAsync(string payoutId) =>
        redis.GetDatabase().StringSetAsync(PayoutKeys.Lease(payoutId), instance.Id, options.Value.LeaseTtl, When.NotExists);

    /// <summary>Extends the leases this instance still holds; returns the ids it no longer holds.</summary>
    public async Task<IReadOnlyList<string>> RenewAsync(IReadOnlyList<string> payoutIds)
    {
        if (payoutIds.Count == 0)
        {
            return [];
        }

        var keys = payoutIds.Select(PayoutKeys.Lease).ToArray();
        var lost = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, keys, [instance.Id, TtlMs]))!;
        return [.. lost.Select(i => payoutIds[(int)i - 1])];
    }

    public Task ReleaseAsync(string payoutId) =>
        redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [PayoutKeys.Lease(payoutId)], [instance.Id]);
}
