namespace LoadDriver.Payouts;

/// <summary>
/// One request of a run: its key and exact JSON body. A <see cref="PayoutKind.Duplicate"/> repeats
/// the key and body of <see cref="DuplicateOf"/>, and has that payout's <see cref="OriginalKind"/>,
/// <see cref="Partner"/> and <see cref="Expected"/>.
/// </summary>
public sealed record PlannedPayout(
    string Phase,
    int Index,
    PayoutKind Kind,
    PayoutKind OriginalKind,
    string Key,
    string AccountNumber,
    string Amount,
    string Body,
    int? DuplicateOf)
{
    /// <summary>The partner the request names (its <c>partner</c> field); null: routed by the gateway's routing order.</summary>
    public string? Partner { get; init; }

    /// <summary>How it ends when nothing is broken.</summary>
    public PayoutExpectation Expected { get; init; } = PayoutExpectation.SucceededAt(null);

    /// <summary>The mix term it was drawn from (<c>ordinary@prb</c>, <c>failover</c>); a duplicate keeps its original's.</summary>
    public string Label => OriginalKind.ToString().ToLowerInvariant() + (Partner is null ? "" : "@" + Partner);
}
