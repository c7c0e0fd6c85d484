using LoadDriver.Api;
using LoadDriver.Payouts;

namespace LoadDriver.Checks;

/// <summary>
/// Everything known about one Idempotency-Key after the drain: the answers its submissions got
/// (in the phases and, for keys left without an answer, the drain's resubmissions), and the
/// payout as the API last showed it.
/// </summary>
public sealed record ResolvedPayout(
    string Key,
    PayoutKind Kind,
    IReadOnlyList<SubmitAnswer> Answers,
    IReadOnlyList<SubmitAnswer> DrainRetries,
    string? PayoutId,
    PayoutView? Payout)
{
    public IEnumerable<SubmitAnswer> AllAnswers => Answers.Concat(DrainRetries);
}
