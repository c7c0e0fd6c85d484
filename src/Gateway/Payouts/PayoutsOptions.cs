using System.ComponentModel.DataAnnotations;

namespace Gateway.Payouts;

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
    /// Submissions handled at once; beyond it the gateway sheds load with 429 and Retry-After
    /// before reading the body, so nothing is stored. Default 512.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentSubmissions { get; set; } = 512;
}
