namespace LoadDriver.Api;

/// <summary>The parts of a payout resource (payout-api.md) the checks read.</summary>
public sealed record PayoutView(
    string Id,
    string Status,
    string? FailureCause,
    int Attempts,
    string? LastAttemptOutcome,
    DateTimeOffset? LastAttemptAt)
{
    public bool IsFinal => Status is "succeeded" or "failed";
}
