namespace LoadDriver.Payouts;

/// <summary>
/// How a planned payout ends when nothing is broken: its final status, for a failure its cause
/// (failure-causes.md), and the partner that decides it (null: not judged).
/// </summary>
public sealed record PayoutExpectation(string Status, string? Cause, string? Partner)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public static PayoutExpectation SucceededAt(string? partner) => new(Succeeded, null, partner);

    public static PayoutExpectation FailedWith(string cause, string? partner) => new(Failed, cause, partner);

    /// <summary>Whether a final status, cause and partner are this expectation (a null partner here matches any).</summary>
    public bool IsMetBy(string? status, string? cause, string? partner) =>
        status == Status
        && (Status != Failed || string.Equals(cause, Cause, StringComparison.Ordinal))
        && (Partner is null || string.Equals(partner, Partner, StringComparison.Ordinal));

    public override string ToString() =>
        Status + (Cause is null ? "" : " " + Cause) + (Partner is null ? "" : " at " + Partner);
}
