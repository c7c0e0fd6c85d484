namespace LoadDriver.Api;

/// <summary>The parts of a payout resource (payout-api.md) the checks read.</summary>
/// <param name="Partner">The partner that has (or last had) the payout; after a failover, the last one.</param>
/// <param name="FailureCategory">The diagnosis' category of a failed payout.</param>
/// <param name="CreatedAt">When the gateway created it (<c>createdAt</c>).</param>
/// <param name="FinalAt">When it became final (<c>completedAt</c>); null while processing.</param>
public sealed record PayoutView(
    string Id,
    string Status,
    string? FailureCause,
    int Attempts,
    string? LastAttemptOutcome,
    DateTimeOffset? LastAttemptAt,
    string? Partner = null,
    string? FailureCategory = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? FinalAt = null)
{
    public bool IsFinal => Status is "succeeded" or "failed";
}
