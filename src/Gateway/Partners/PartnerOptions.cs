using System.ComponentModel.DataAnnotations;

namespace Gateway.Partners;

/// <summary>
/// Settings every partner has, under <c>Partners:&lt;name&gt;</c>. Defaults are documented and
/// limits declared, as Polly's own options do; a value out of range stops start-up.
/// </summary>
public class PartnerOptions
{
    /// <summary>The partner's base URL (required; a partner without one is not enabled).</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>Per-attempt timeout. Default 5 s (payout-api.md).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bound on one disbursement call including its retries. Default 20 s; at least <see cref="Timeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Retries for answers that prove nothing executed (throttling, a refused connection).
    /// Default 2. Unknown outcomes are never retried: they are resolved by inquiry.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay of the jittered exponential backoff; a partner's Retry-After wins. Default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long after our last send a "no such reference" inquiry answer is trusted to mean
    /// "never received". Default 2 s, the visibility the partners guarantee.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan InquiryGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>This partner's circuit breaker; each partner has its own.</summary>
    [Required]
    public BreakerOptions Breaker { get; set; } = new();

    /// <summary>This partner's quota, split between disbursements and pass-through calls (see <see cref="PartnerRateLimiters"/>).</summary>
    [Required]
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Path of the code table; default <c>Partners/&lt;Name&gt;/&lt;name&gt;-codes.json</c> beside the binary.</summary>
    public string? CodesFile { get; set; }
}

public sealed class BreakerOptions
{
    /// <summary>Share of failed calls in the sampling window that opens the circuit. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the window before the ratio counts. Default 10.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial call. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The partner's agreed quota, as token buckets. Disbursements and pass-through calls each get
/// their own bucket and together stay inside it; pass-through takes at most
/// <see cref="PassThroughShare"/> and never a permit of the disbursements' (<see cref="PartnerRateLimiters"/>).
/// Disbursements beyond theirs wait in a bounded queue; past the queue they are refused at the
/// gateway, so the partner never sees them. Pass-through calls beyond theirs are refused at once (429).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Calls allowed per <see cref="Period"/> on average. Default 100; up to 10,000,000 (effectively no quota).</summary>
    [Range(1, 10_000_000)]
    public int Permits { get; set; } = 100;

    /// <summary>The quota's period. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Calls allowed at once after a quiet spell. Default 100; up to 10,000,000.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>Calls that may wait for a permit; beyond them a call is refused. Default 200.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 200;

    /// <summary>
    /// The share of <see cref="Permits"/> and <see cref="Burst"/> pass-through calls may use (rounded
    /// down); disbursements keep the rest, which pass-through can never take. 0 turns pass-through to
    /// this partner off, and so does a share too small to round to one permit. Default 0.2; at most 0.9.
    /// </summary>
    [Range(0.0, 0.9)]
    public double PassThroughShare { get; set; } = 0.2;
}
