using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// Redis keys of the partners' quota buckets, apart from the payout schema (PayoutKeys). One key per
/// bucket, so the bucket's script touches one key; the hash tag <c>{quota:&lt;partner&gt;}</c> keeps a
/// partner's two buckets on one Redis Cluster slot, as a future script reading both would need.
/// </summary>
public static class QuotaKeys
{
    /// <summary>e.g. <c>gw:{quota:ycb}:disburse</c>, <c>gw:{quota:ycb}:passthrough</c>.</summary>
    public static RedisKey Bucket(string partner, string use) => "gw:{quota:" + partner + "}:" + use;
}
