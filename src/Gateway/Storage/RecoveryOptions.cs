using System.ComponentModel.DataAnnotations;

namespace Gateway.Storage;

/// <summary>
/// <c>Recovery:*</c>: how payouts left <c>processing</c> (by a crash, a restart, or an outcome
/// that stayed unknown) are found again and resolved by inquiry, on any instance.
/// </summary>
public sealed class RecoveryOptions
{
    public const string Section = "Recovery";

    /// <summary>
    /// How long an instance owns a payout it is executing without renewing. A crashed owner's
    /// payouts are taken over this long after its last renewal. Default 15 s; it must be longer
    /// than any partner's inquiry grace, so a takeover never mistakes a fresh send for "never received".
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the reconciler looks for payouts due for a check. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most payouts taken over in one scan. Default 20.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Longest wait between two checks of a payout that stays unresolved. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}
