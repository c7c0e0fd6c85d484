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

    /// <summary>This partner's quota, if it has one, split between disbursements and pass-through calls (see <see cref="PartnerQuota"/>).</summary>
    [Required]
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Path of the code table, to replace the one the partner's module names (its own
    /// <c>&lt;name&gt;-codes.json</c> in its folder beside the binary). A relative path is relative to the binary's folder.
    /// </summary>
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
/// The partner's agreed quota, as token buckets; part of its contract, so there is none unless it
/// is configured: without <see cref="Permits"/> nothing limits calls to the partner (no rate
/// limiter in its pipeline, pass-through limited only per client). With a quota, disbursements and
/// pass-through calls each get their own bucket and together stay inside it; pass-through takes at
/// most <see cref="PassThroughShare"/> and never a permit of the disbursements' (<see cref="PartnerQuota"/>).
/// Disbursements beyond theirs wait in a bounded queue; past the queue they are refused at the
/// gateway, so the partner never sees them. Pass-through calls beyond theirs are refused at once (429).
/// Waiting and refused disbursements are counted (<c>gateway.partner.quota.saturated</c>) and logged as a warning.
/// </summary>
public sealed class RateLimitOptions
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(1);
    public const int DefaultQueueLimit = 200;
    public const double DefaultPassThroughShare = 0.2;

    /// <summary>Calls allowed per <see cref="Period"/> on average. No default: unset means no quota at all.</summary>
    [Range(1, 10_000_000)]
    public int? Permits { get; set; }

    /// <summary>The quota's period. Default 1 s (only with <see cref="Permits"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan? Period { get; set; }

    /// <summary>Calls allowed at once after a quiet spell. Default <see cref="Permits"/> (only with it).</summary>
    [Range(1, 10_000_000)]
    public int? Burst { get; set; }

    /// <summary>Disbursements that may wait for a permit; beyond them one is refused. Default 200 (only with <see cref="Permits"/>).</summary>
    [Range(0, 100_000)]
    public int? QueueLimit { get; set; }

    /// <summary>
    /// The share of <see cref="Permits"/> and <see cref="Burst"/> pass-through calls may use (rounded
    /// down); disbursements keep the rest, which pass-through can never take. 0 turns pass-through to
    /// this partner off, and so does a share too small to round to one permit. Default 0.2; at most 0.9
    /// (only with <see cref="Permits"/>).
    /// </summary>
    [Range(0.0, 0.9)]
    public double? PassThroughShare { get; set; }

    /// <summary>Whether the partner has a quota: <see cref="Permits"/> is set.</summary>
    public bool IsConfigured => Permits is not null;

    public TimeSpan EffectivePeriod => Period ?? DefaultPeriod;

    public int EffectiveBurst => Burst ?? Permits ?? 0;

    public int EffectiveQueueLimit => QueueLimit ?? DefaultQueueLimit;

    public double EffectivePassThroughShare => PassThroughShare ?? DefaultPassThroughShare;
}
