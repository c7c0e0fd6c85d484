namespace LoadDriver.Payouts;

/// <summary>
/// One request of a run: its key and exact JSON body. A <see cref="PayoutKind.Duplicate"/> repeats
/// the key and body of <see cref="DuplicateOf"/>, and has that payout's <see cref="OriginalKind"/>.
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
    int? DuplicateOf);
