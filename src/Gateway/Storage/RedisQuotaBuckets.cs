using System.Threading.RateLimiting;
using Gateway.Partners;
using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// The partners' quota buckets in Redis (<see cref="IQuotaBucketStore"/>): each configured bucket
/// becomes a <see cref="RedisQuotaLimiter"/> on its own key (<see cref="QuotaKeys"/>), sized in
/// chunks of <see cref="RedisQuotaLimiter.ChunkFor"/> held for <see cref="RedisQuotaLimiter.DefaultHold"/>.
/// It uses the app's one connection and key prefix (<see cref="StateDatabase"/>).
/// </summary>
public sealed class RedisQuotaBuckets(StateDatabase state, TimeProvider time) : IQuotaBucketStore
{
    public RateLimiter Open(QuotaBucket bucket) => new RedisQuotaLimiter(
        new RedisTokenBucket(state.Db, QuotaKeys.Bucket(bucket.Partner, bucket.Use), bucket.TokenLimit, bucket.TokensPerPeriod, bucket.Period),
        bucket.QueueLimit,
        RedisQuotaLimiter.ChunkFor(bucket.TokenLimit, bucket.TokensPerPeriod, bucket.Period),
        RedisQuotaLimiter.DefaultHold,
        time,
        bucket.Queued);
}

public static class QuotaBucketsSetup
{
    /// <summary>Partner quotas shared by every instance, in the state store's Redis. Needs <c>AddStateStore</c>.</summary>
    public static IServiceCollection AddQuotaBuckets(this IServiceCollection services) =>
        services.AddSingleton<IQuotaBucketStore, RedisQuotaBuckets>();
}
