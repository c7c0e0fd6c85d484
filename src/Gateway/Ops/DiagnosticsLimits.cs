using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Core;
using Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Ops;

/// <summary>
/// <c>Ops:DiagnosticsRateLimit:*</c>: each on-call key's token bucket for <c>/v1/diagnostics/*</c>.
/// Every diagnostics read fans out over all 16 key shards, so a dashboard or script polling in a
/// loop is held to its own rate (429 with <c>Retry-After</c>) and cannot load Redis for the payouts.
/// The bucket is per instance; the defaults leave room for several people and the /ops page (one
/// refresh every 10 s reads three routes).
/// </summary>
public sealed class OpsOptions
{
    public const string Section = "Ops";

    [Required]
    public ClientRateLimitOptions DiagnosticsRateLimit { get; set; } = new() { Permits = 10, Period = TimeSpan.FromSeconds(1), Burst = 40 };
}

/// <summary>The per-key bucket of <see cref="OpsOptions.DiagnosticsRateLimit"/> (a <see cref="KeyedTokenBucket"/>).</summary>
internal sealed class DiagnosticsLimiter(IOptions<OpsOptions> options) : IDisposable
{
    private readonly KeyedTokenBucket _buckets = new(
        options.Value.DiagnosticsRateLimit.Permits, options.Value.DiagnosticsRateLimit.Period, options.Value.DiagnosticsRateLimit.Burst);

    public RateLimitLease Acquire(string key) => _buckets.Acquire(key);

    public void Dispose() => _buckets.Dispose();
}

/// <summary>The endpoint filter of the diagnostics group: one permit per request of the calling on-call key.</summary>
internal sealed class DiagnosticsRateFilter(DiagnosticsLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // Behind the on-call policy, so the caller is an authenticated on-call key with a name.
        var key = context.HttpContext.User.Identity?.Name
            ?? throw new InvalidOperationException("The endpoint is not behind the on-call key policy.");
        using var lease = limiter.Acquire(key);
        if (lease.IsAcquired)
        {
            return await next(context);
        }

        var seconds = KeyedTokenBucket.RetryAfterSeconds(lease);
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.DiagnosticsRateLimited(key);
    }
}

/// <summary>Checks the nested <see cref="ClientRateLimitOptions"/> of <see cref="OpsOptions"/> with its declared limits.</summary>
internal sealed class OpsOptionsValidator : IValidateOptions<OpsOptions>
{
    public ValidateOptionsResult Validate(string? name, OpsOptions options)
    {
        var rate = options.DiagnosticsRateLimit;
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(rate, new ValidationContext(rate), results, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => $"{OpsOptions.Section}:DiagnosticsRateLimit:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
