using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Recording;
using LoadDriver.Scheduling;

namespace LoadDriver.Runs;

/// <summary>A finished run: both phases, every key resolved, the ledger checks and when it all happened.</summary>
public sealed record LoadRunResult(
    LoadOptions Options,
    ScheduleResult<SubmitAnswer> Warmup,
    ScheduleResult<SubmitAnswer> Steady,
    IReadOnlyList<Submission> Submissions,
    IReadOnlyList<ResolvedPayout> Payouts,
    IReadOnlyList<CheckResult> Checks,
    CheckPolicy Policy,
    DateTimeOffset StartedAt,
    DateTimeOffset SteadyStartedAt,
    TimeSpan DrainTook)
{
    public bool Correct => Checks.All(c => c.Passed);

    public IEnumerable<Submission> SteadySubmissions => Submissions.Where(s => s.Payout.Phase == LoadRun.SteadyPhase);

    /// <summary>How well the known causes (rejects' magic causes, declared faults' causes) were diagnosed.</summary>
    public ClassificationAccuracy Classification => OutcomeVerdicts.Accuracy(Payouts, Policy.FaultWindows);

    /// <summary>Per final payout (both phases), from its intended submit time to its final time (<c>completedAt</c>).</summary>
    public LatencyHistogram TimeToFinal => TimeToFinalOf(Payouts);

    /// <summary>Time-to-final of the payouts <paramref name="select"/> picks.</summary>
    public LatencyHistogram TimeToFinalOf(Func<ResolvedPayout, bool> select) => TimeToFinalOf(Payouts.Where(select));

    /// <summary>
    /// How long after <paramref name="faultEnd"/> the outcomes were back to expected (see
    /// <see cref="OutcomeVerdicts.RecoveryTime"/>); null when they never were within the run.
    /// </summary>
    public TimeSpan? RecoveryAfter(DateTimeOffset faultEnd) => OutcomeVerdicts.RecoveryTime(Payouts, faultEnd);

    private static LatencyHistogram TimeToFinalOf(IEnumerable<ResolvedPayout> payouts)
    {
        var histogram = new LatencyHistogram();
        foreach (var payout in payouts)
        {
            if (payout.TimeToFinal is { } took)
            {
                histogram.Record(took);
            }
        }

        return histogram;
    }
}

/// <summary>
/// The status each kind of the mix should end in when nothing is broken (the chaos suite breaks
/// things). The full expectation (cause, partner) of one payout is its <see cref="Payouts.PlannedPayout.Expected"/>.
/// </summary>
public static class ExpectedOutcome
{
    public static string For(Payouts.PayoutKind kind) => kind == Payouts.PayoutKind.Reject ? "failed" : "succeeded";
}
