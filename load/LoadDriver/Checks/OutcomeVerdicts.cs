using System.Globalization;

namespace LoadDriver.Checks;

/// <summary>How one final payout's outcome is judged against its expectation and the run's declared faults.</summary>
public enum OutcomeVerdict
{
    /// <summary>Not read or not final: the finality check judges it, not this one.</summary>
    NotFinal,

    /// <summary>Ended as its kind expects (status, cause, partner).</summary>
    AsExpected,

    /// <summary>Ended otherwise, in a way a declared <see cref="FaultWindow"/> covering its submission explains.</summary>
    Explained,

    /// <summary>Ended otherwise, and nothing declared explains it.</summary>
    Unexpected,
}

/// <summary>
/// Judges final outcomes: every payout must end as its kind expects (<see cref="Payouts.PayoutExpectation"/>)
/// unless a declared <see cref="FaultWindow"/> explains it; how well the known causes were
/// diagnosed (<see cref="ClassificationAccuracy"/>); and how long after a fault the outcomes are
/// back to expected (<see cref="RecoveryTime"/>).
/// </summary>
public static class OutcomeVerdicts
{
    public const string CheckName = "every payout ended as its kind expects (or as a declared fault explains)";

    private const int MaxExamples = 5;

    public static OutcomeVerdict Judge(ResolvedPayout payout, IReadOnlyList<FaultWindow> windows) =>
        Judge(payout, windows, out _);

    /// <summary>The verdict, and for <see cref="OutcomeVerdict.Explained"/> the window that explains it.</summary>
    public static OutcomeVerdict Judge(ResolvedPayout payout, IReadOnlyList<FaultWindow> windows, out FaultWindow? explainedBy)
    {
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentNullException.ThrowIfNull(windows);
        explainedBy = null;
        if (payout.Payout is not { IsFinal: true } view)
        {
            return OutcomeVerdict.NotFinal;
        }

        if (payout.EndedAsExpected)
        {
            return OutcomeVerdict.AsExpected;
        }

        var otherPartner = payout.Expected.Partner is { } expected && !string.Equals(view.Partner, expected, StringComparison.Ordinal);
        explainedBy = payout.SubmittedAt is { } at
            ? windows.FirstOrDefault(w => w.Covers(at) && w.Explains(view.Status, view.FailureCause, otherPartner))
            : null;
        return explainedBy is null ? OutcomeVerdict.Unexpected : OutcomeVerdict.Explained;
    }

    /// <summary>The check: every final payout as expected or explained; examples name the payout, its kind, what was expected and what it got.</summary>
    public static CheckResult Check(IReadOnlyList<ResolvedPayout> payouts, IReadOnlyList<FaultWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        var judged = payouts.Select(p => (Payout: p, Verdict: Judge(p, windows))).Where(j => j.Verdict != OutcomeVerdict.NotFinal).ToList();
        var unexpected = judged.Where(j => j.Verdict == OutcomeVerdict.Unexpected).Select(j => j.Payout).ToList();
        var explained = judged.Count(j => j.Verdict == OutcomeVerdict.Explained);
        var detail = unexpected.Count == 0
            ? Invariant($"held for {judged.Count}")
            : Invariant($"{unexpected.Count} of {judged.Count} violate it");
        if (explained > 0)
        {
            detail += Invariant($"; {explained} explained by declared faults");
        }

        if (unexpected.Count > 0)
        {
            detail += "; unexpected by kind: " + string.Join(", ", unexpected.GroupBy(LabelOf).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Invariant($"{g.Key} {g.Count()}")));
        }

        return new CheckResult(CheckName, unexpected.Count == 0, detail, unexpected.Take(MaxExamples).Select(Describe).ToList());
    }

    /// <summary>
    /// The failures whose cause the run knows, and whether the gateway diagnosed them so: a payout
    /// expected to fail (a reject) must carry its expected cause; a payout a declared fault made fail
    /// (covered by a window, not ended as expected) must carry one of the window's causes.
    /// </summary>
    public static ClassificationAccuracy Accuracy(IReadOnlyList<ResolvedPayout> payouts, IReadOnlyList<FaultWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        ArgumentNullException.ThrowIfNull(windows);
        int known = 0, correct = 0;
        var wrong = new List<string>();
        foreach (var payout in payouts)
        {
            var verdict = Judge(payout, windows, out var window);
            if (verdict == OutcomeVerdict.NotFinal)
            {
                continue;
            }

            var view = payout.Payout!;
            var expectedFailure = payout.Expected.Status == Payouts.PayoutExpectation.Failed;
            var faultFailure = view.Status == "failed" && payout.SubmittedAt is { } at && windows.Any(w => w.Covers(at));
            bool? right = verdict switch
            {
                OutcomeVerdict.AsExpected => expectedFailure ? true : null,
                OutcomeVerdict.Explained => view.Status == "failed" ? true : null,
                _ when expectedFailure || faultFailure => false,
                _ => null,
            };
            if (right is null)
            {
                continue;
            }

            known++;
            if (right.Value)
            {
                correct++;
            }
            else if (wrong.Count < MaxExamples)
            {
                wrong.Add(Describe(payout));
            }
        }

        return new ClassificationAccuracy(known, correct, wrong);
    }

    /// <summary>
    /// How long after <paramref name="faultEnd"/> the outcomes are back to expected: the first whole
    /// second s (counted from the fault's end) such that every payout submitted from faultEnd + s on
    /// ended exactly as its kind expects (declared faults excuse nothing here; a payout not final
    /// counts as not recovered). Zero when every payout submitted after the end is as expected; null
    /// when the run has no payout submitted after the end, or none as expected after the last one
    /// that is not (not recovered within the run).
    /// </summary>
    public static TimeSpan? RecoveryTime(IReadOnlyList<ResolvedPayout> payouts, DateTimeOffset faultEnd)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        var after = payouts.Where(p => p.SubmittedAt >= faultEnd).OrderBy(p => p.SubmittedAt).ToList();
        if (after.Count == 0)
        {
            return null;
        }

        var lastBad = after.FindLastIndex(p => !p.EndedAsExpected);
        if (lastBad < 0)
        {
            return TimeSpan.Zero;
        }

        if (lastBad == after.Count - 1)
        {
            return null;
        }

        var offset = after[lastBad].SubmittedAt!.Value - faultEnd;
        return TimeSpan.FromSeconds(Math.Floor(offset.TotalSeconds) + 1);
    }

    private static string LabelOf(ResolvedPayout payout) => payout.Label ?? payout.Kind.ToString().ToLowerInvariant();

    private static string Describe(ResolvedPayout payout)
    {
        var view = payout.Payout;
        var got = view is null
            ? "unread"
            : view.Status + (view.FailureCause is null ? "" : " " + view.FailureCause) + (view.Partner is null ? "" : " at " + view.Partner);
        return $"{payout.PayoutId ?? payout.Key} ({LabelOf(payout)}): expected {payout.Expected}, got {got}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
