using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// The Redis key schema. A payout is one string value (<see cref="PayoutValue"/>): a header the
/// scripts guard transitions with (status, version, fence, fingerprint, client, send intents), then
/// the record as compact JSON, so the scripts never parse JSON and a payout costs one key.
/// </summary>
public static class PayoutKeys
{
    public static RedisKey Payout(string id) => "gw:payout:{" + id + "}";

    /// <summary>Present while the request that created the payout is still running (409 for others).</summary>
    public static RedisKey InFlight(string id) => "gw:inflight:{" + id + "}";

    /// <summary>The instance driving a processing payout now, with a TTL it renews (Recovery/PayoutLeases).</summary>
    public static RedisKey Lease(string id) => "gw:lease:{" + id + "}";

    /// <summary>
    /// Sorted set of payouts not yet final, scored by when each is next due for a check (unix
    /// ms): the reconciler's work list.
    /// </summary>
    public static readonly RedisKey Processing = "gw:processing";

    /// <summary>A client's payouts with one status (processing, succeeded, failed), scored by creation time.</summary>
    public static RedisKey ClientStatus(string client, string status) => $"gw:idx:{client}:status:{status}";

    /// <summary>A client's failed payouts with one cause, scored by creation time.</summary>
    public static RedisKey ClientCause(string client, string cause) => $"gw:idx:{client}:cause:{cause}";

    /// <summary>A client's failed payouts in one category, scored by creation time.</summary>
    public static RedisKey ClientCategory(string client, string category) => $"gw:idx:{client}:category:{category}";

    /// <summary>
    /// Final outcomes of one minute, for every client: <c>f|category|cause|partner</c> and
    /// <c>s|partner</c> counters, and <c>latest|category|cause|partner</c> → an example payout id.
    /// </summary>
    public static RedisKey OutcomesMinute(long unixMinute) => $"gw:stats:minute:{unixMinute}";

    /// <summary>
    /// The same counters as <see cref="OutcomesMinute"/> for one whole hour (unix hours), written by
    /// the same script, so a long diagnostics window reads hours instead of thousands of minutes.
    /// </summary>
    public static RedisKey OutcomesHour(long unixHour) => $"gw:stats:hour:{unixHour}";

    /// <summary>The last 100 failed payout ids, every client and partner, newest first (the on-call feed).</summary>
    public static readonly RedisKey RecentFailed = "gw:recent:failed";

    /// <summary>The last failures at one partner: <c>cause|payoutId|completedAt</c>, newest first.</summary>
    public static RedisKey RecentFailures(string partner) => $"gw:recent:{partner}";
}
