using System.Threading.RateLimiting;

namespace Gateway.Hosting;

/// <summary>
/// One token bucket per key (an API client, an on-call key), no queue: a caller over its rate is
/// refused at once with an honest <c>Retry-After</c> while every other key keeps its own bucket.
/// Per instance, like every in-memory limit.
/// </summary>
public sealed class KeyedTokenBucket(int permits, TimeSpan period, int burst) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = permits,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    public RateLimitLease Acquire(string key) => _limiter.AttemptAcquire(key);

    /// <summary>Whole seconds until the refused lease's bucket has a permit, rounded up, at least 1.</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;

    public void Dispose() => _limiter.Dispose();
}
