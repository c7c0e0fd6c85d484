using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Gateway.Partners;

/// <summary>
/// Each partner's quota (<c>Partners:&lt;p&gt;:RateLimit</c>) as two token buckets that never
/// lend to each other, so pass-through can never use up what disbursements need:
/// <list type="bullet">
/// <item>pass-through (<see cref="ForPassThrough"/>): ⌊Permits × PassThroughShare⌋ per period,
/// burst ⌊Burst × PassThroughShare⌋, no queue (a call over it is refused at once);</item>
/// <item>disbursements (<see cref="For"/>, used by the partner's Polly pipeline): the rest —
/// Permits minus pass-through's per period, Burst minus pass-through's — with the configured queue.
/// As the share is at most 0.9 and rounded down, disbursements always keep at least one permit.</item>
/// </list>
/// Together they never exceed the partner's quota. A share that rounds to no permit (or burst)
/// gives pass-through nothing: <see cref="ForPassThrough"/> is null and disbursements keep the whole quota.
/// </summary>
public sealed class PartnerRateLimiters(PartnerRegistry partners) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<(RateLimiter Disbursements, RateLimiter? PassThrough)>> _limiters =
        new(StringComparer.Ordinal);

    /// <summary>The disbursements' bucket: what pass-through can never take.</summary>
    public RateLimiter For(string partner) => Buckets(partner).Disbursements;

    /// <summary>Pass-through's bucket, or null when its share of the quota is no permit at all.</summary>
    public RateLimiter? ForPassThrough(string partner) => Buckets(partner).PassThrough;

    private (RateLimiter Disbursements, RateLimiter? PassThrough) Buckets(string partner) =>
        _limiters.GetOrAdd(partner, name => new Lazy<(RateLimiter, RateLimiter?)>(() =>
        {
            var options = partners.OptionsOf(name).RateLimit;
            var (permits, burst) = PassThroughQuota(options);
            var passThrough = permits > 0 && burst > 0
                ? new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = permits,
                    ReplenishmentPeriod = options.Period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : null;
            var disbursements = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.Burst - (passThrough is null ? 0 : burst),
                TokensPerPeriod = options.Permits - (passThrough is null ? 0 : permits),
                ReplenishmentPeriod = options.Period,
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            return (disbursements, passThrough);
        })).Value;

    /// <summary>Pass-through's permits per period and burst: the share of each, rounded down.</summary>
    public static (int Permits, int Burst) PassThroughQuota(RateLimitOptions options)
    {
        // In decimal, so a share such as 0.29 of 100 is 29, not 28.999… rounded down.
        var share = (decimal)options.PassThroughShare;
        return ((int)Math.Floor(options.Permits * share), (int)Math.Floor(options.Burst * share));
    }

    public void Dispose()
    {
        foreach (var buckets in _limiters.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
        {
            buckets.Disbursements.Dispose();
            buckets.PassThrough?.Dispose();
        }
    }
}
