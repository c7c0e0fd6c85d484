using System.Threading.RateLimiting;
using Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy;

/// <summary>The per-client pass-through rate (<see cref="ClientRateLimitOptions"/>): a <see cref="KeyedTokenBucket"/> per authenticated client name.</summary>
internal sealed class PassThroughClientLimiter(IOptions<ProxyOptions> options) : IDisposable
{
    private readonly KeyedTokenBucket _buckets = new(
        options.Value.ClientRateLimit.Permits, options.Value.ClientRateLimit.Period, options.Value.ClientRateLimit.Burst);

    public RateLimitLease Acquire(string client) => _buckets.Acquire(client);

    public void Dispose() => _buckets.Dispose();
}
