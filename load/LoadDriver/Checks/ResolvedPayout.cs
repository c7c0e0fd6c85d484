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
    /// <summary>How it should end (the planned payout's expectation).</summary>
    public PayoutExpectation Expected { get; init; } = PayoutExpectation.SucceededAt(null);

    /// <summary>The mix term it was drawn from (<c>reject@prb</c>); the kind's name when unknown.</summary>
    public string? Label { get; init; }

    /// <summary>The intended send time of its first submission (wall clock); null when unknown.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    public IEnumerable<SubmitAnswer> AllAnswers => Answers.Concat(DrainRetries);

    /// <summary>From the intended submit time to the payout's final time, when both are known.</summary>
    public TimeSpan? TimeToFinal => SubmittedAt is { } submitted && Payout?.FinalAt is { } final ? final - submitted : null;

    /// <summary>Whether it ended as <see cref="Expected"/> (final status, cause, partner).</summary>
    public bool EndedAsExpected => Payout is { IsFinal: true } view && Expected.IsMetBy(view.Status, view.FailureCause, view.Partner);
}
