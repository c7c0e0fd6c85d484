using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy;

/// <summary>
/// The per-client pass-through rate (<see cref="ClientRateLimitOptions"/>): a token bucket per
/// authenticated client name, no queue, so a client over its rate is refused at once with an
/// honest <c>Retry-After</c> while every other client keeps its own bucket.
/// </summary>
internal sealed class PassThroughClientLimiter(IOptions<ProxyOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.ClientRateLimit.Burst,
            TokensPerPeriod = options.Value.ClientRateLimit.Permits,
            ReplenishmentPeriod = options.Value.ClientRateLimit.Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    public RateLimitLease Acquire(string client) => _limiter.AttemptAcquire(client);

    public void Dispose() => _limiter.Dispose();
}
