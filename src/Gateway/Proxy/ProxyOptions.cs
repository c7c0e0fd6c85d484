using System.ComponentModel.DataAnnotations;

namespace Gateway.Proxy;

/// <summary><c>Proxy:*</c>: the pass-through routes' active health checks.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>How often each partner's health endpoint is probed. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a probe may take. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed probes in a row that mark a partner unhealthy (then its routes answer 503). Default 2.</summary>
    [Range(1, 100)]
    public int UnhealthyAfter { get; set; } = 2;
}
