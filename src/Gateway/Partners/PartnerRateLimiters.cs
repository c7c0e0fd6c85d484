using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Gateway.Partners;

/// <summary>
/// One token bucket per partner, shared by its disbursement pipeline and its pass-through
/// route, so both together stay inside the partner's quota.
/// </summary>
public sealed class PartnerRateLimiters(PartnerRegistry partners) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<RateLimiter>> _limiters = new(StringComparer.Ordinal);

    public RateLimiter For(string partner) => _limiters.GetOrAdd(partner, name => new Lazy<RateLimiter>(() =>
    {
        var options = partners.OptionsOf(name).RateLimit;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.Permits,
            ReplenishmentPeriod = options.Period,
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    })).Value;

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values.Where(l => l.IsValueCreated))
        {
            limiter.Value.Dispose();
        }
    }
}
