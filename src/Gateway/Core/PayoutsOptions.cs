using System.ComponentModel.DataAnnotations;

namespace Gateway.Core;

/// <summary><c>Payouts:*</c>: how the submit flow waits, limits and retains.</summary>
public sealed class PayoutsOptions
{
    public const string Section = "Payouts";

    /// <summary>How long <c>POST</c> waits for a final status before answering <c>processing</c>. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan SyncBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest amount accepted, in CNY. Default 1,000,000.00.</summary>
    [Range(typeof(decimal), "0.01", "100000000")]
    public decimal MaxAmount { get; set; } = 1_000_000.00m;

    /// <summary>How long a payout and its key are kept after reaching a final status. Default 24 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RetentionAfterFinal { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a payout that is still processing is kept without any write or recheck (each
    /// save and each reconciler recheck renews it). Every key the gateway writes has a bounded
    /// lifetime, so nothing outlives a gateway that was taken away. Default 7 days; a client
    /// retry after that reaches the partner under the same payout id, which the partner
    /// de-duplicates. Index and feed keys live <see cref="RetentionAfterFinal"/> plus 8 days
    /// after their last write.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan ProcessingLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long list indexes and feeds live after their last write.</summary>
    internal TimeSpan IndexLifetime => RetentionAfterFinal + TimeSpan.FromDays(8);

    /// <summary>
    /// How long this instance keeps inquiring for a payout whose outcome is unknown, after the
    /// POST has answered. Default 10 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResolveFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest pause between two inquiries. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxInquiryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Submissions handled at once, every client together; beyond it the gateway sheds load with
    /// 429 (<c>overloaded</c>) and Retry-After once the body is read, before anything is stored.
    /// Default 512.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentSubmissions { get; set; } = 512;

    /// <summary>
    /// Submissions one client may have in progress at once (429 <c>client-rate-limited</c> beyond),
    /// so one client can never take every slot of <see cref="MaxConcurrentSubmissions"/>. Default 256.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentPerClient { get; set; } = 256;

    /// <summary>
    /// Each client's own submission rate (a token bucket), when configured. Default none: a client is
    /// held only by <see cref="MaxConcurrentPerClient"/>, which already keeps it from starving another.
    /// </summary>
    public ClientRateLimitOptions? ClientRateLimit { get; set; }

    /// <summary>
    /// How long the whole body of one submission may take to arrive (at most 64 KiB); a slower one
    /// is answered 408 and nothing is stored. Default 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary><c>Payouts:ClientRateLimit:*</c>: one client's token bucket for <c>POST /v1/payouts</c>.</summary>
public sealed class ClientRateLimitOptions
{
    /// <summary>Submissions added to the bucket every <see cref="Period"/>. Default 200.</summary>
    [Range(1, 1_000_000)]
    public int Permits { get; set; } = 200;

    /// <summary>The refill period. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The bucket's size: submissions allowed at once after a quiet spell. Default 200.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}
