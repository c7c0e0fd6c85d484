using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Hosting;

/// <summary>
/// Connection-level limits on the listener, so a caller dribbling bytes cannot hold connections
/// and request slots for minutes: request headers must arrive within <see cref="RequestHeadersTimeout"/>,
/// and a request body must keep at least <see cref="MinBodyBytesPerSecond"/> after a short grace
/// (Kestrel answers 408 and closes the connection otherwise).
/// </summary>
public static class KestrelLimits
{
    /// <summary>Default Kestrel is 30 s; a lending backend sends headers in milliseconds.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default Kestrel is 240 B/s (a 64 KiB payout body could take 4.5 min); 1 KiB/s bounds it to about a minute.</summary>
    public const double MinBodyBytesPerSecond = 1024;

    public static readonly TimeSpan MinBodyRateGrace = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddGatewayKestrelLimits(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.RequestHeadersTimeout = RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(MinBodyBytesPerSecond, MinBodyRateGrace);
        });
}
