using StackExchange.Redis;

namespace Gateway.Payouts;

/// <summary>
/// The Redis key schema. A payout is one hash: <c>fp</c> (request fingerprint), <c>client</c>,
/// <c>status</c>, <c>version</c> and <c>doc</c> (the record as JSON). Status and version sit
/// beside the document so the scripts can guard transitions without parsing JSON.
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
}
