namespace Gateway.Core;

/// <summary>What one partner answer means for the payout, whatever the dialect.</summary>
public enum PartnerOutcome
{
    /// <summary>The partner executed the payout.</summary>
    Succeeded,

    /// <summary>Accepted, not final yet: inquire later.</summary>
    Processing,

    /// <summary>
    /// Definitely not executed: a rejection with a cause, a throttle, maintenance, a refused
    /// connection or an open circuit. Only this outcome may fail over (failure-causes.md rule 3).
    /// </summary>
    NotExecuted,

    /// <summary>The partner already holds our reference: inquire and adopt its result (rule 2).</summary>
    Duplicate,

    /// <summary>May or may not have executed (timeout, 5xx, malformed, unmapped code): inquire (rule 1).</summary>
    Unknown,

    /// <summary>Inquiry only: the partner has no record of the reference.</summary>
    NotFound,
}

/// <summary>
/// A partner's answer mapped to the shared shape (hyperswitch's adapter idea): the outcome, the
/// cause it would mean if the payout ends failed, and the raw evidence.
/// </summary>
public sealed record PartnerAnswer
{
    public required PartnerOutcome Outcome { get; init; }

    /// <summary>Short word for the attempts list (succeeded, rejected, timeout, ...).</summary>
    public required string Label { get; init; }

    /// <summary>
    /// The cause if this answer ends the payout failed: the rejection's cause, or for an unknown
    /// outcome the cause to use once an inquiry proves nothing executed.
    /// </summary>
    public string? Cause { get; init; }

    /// <summary>NotExecuted answers that may be retried with the same reference (throttling).</summary>
    public bool Retryable { get; init; }

    public TimeSpan? RetryAfter { get; init; }
    public string? PartnerCode { get; init; }
    public string? PartnerMessage { get; init; }
    public string? PartnerStatus { get; init; }
    public int? HttpStatus { get; init; }
    public string? PartnerReference { get; init; }

    /// <summary>The ISO 20022 reason code the partner itself gave, when it speaks ISO (prb's <c>cd</c>).</summary>
    public string? IsoReason { get; init; }

    /// <summary>
    /// What the partner's own record says was paid under our reference, where the dialect tells
    /// it (an inquiry after a duplicate answer): compared with the payout, a mismatch is
    /// <c>DUPLICATE_PAYOUT</c> (failure-causes.md rule 2). Null when the dialect does not say.
    /// </summary>
    public decimal? RecordedAmount { get; init; }

    /// <summary>The beneficiary account number in the partner's record, where the dialect tells it.</summary>
    public string? RecordedAccount { get; init; }

    /// <summary>
    /// For a send whose outcome was unknown and that a later status inquiry resolved: that
    /// inquiry's answer (e.g. "not found" past the grace). The diagnosis then tells both, so the
    /// summary says what the partner answered and what the inquiry proved.
    /// </summary>
    public PartnerAnswer? ResolvedBy { get; init; }
}
