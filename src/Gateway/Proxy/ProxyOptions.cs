using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy;

/// <summary><c>Proxy:*</c>: the pass-through routes' active health checks and per-client rate limit.</summary>
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

    /// <summary>Each client's own pass-through rate (<c>Proxy:ClientRateLimit:*</c>), across all partners.</summary>
    [Required]
    public ClientRateLimitOptions ClientRateLimit { get; set; } = new();
}

/// <summary>
/// A token bucket per API client for pass-through calls: one client looping balance calls runs
/// into its own 429, never into another client's calls or anyone's payouts.
/// </summary>
public sealed class ClientRateLimitOptions
{
    /// <summary>Calls a client may make per <see cref="Period"/> on average. Default 10.</summary>
    [Range(1, 100_000)]
    public int Permits { get; set; } = 10;

    /// <summary>Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Calls a client may make at once after a quiet spell. Default 20.</summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 20;
}

/// <summary>DataAnnotations of <see cref="ProxyOptions"/> and of its nested <see cref="ClientRateLimitOptions"/>, every error at once.</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var errors = new List<string>();
        Check(options, ProxyOptions.Section, errors);
        Check(options.ClientRateLimit, ProxyOptions.Section + ":ClientRateLimit", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(object value, string prefix, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            errors.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
