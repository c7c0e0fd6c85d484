using LoadDriver.Api;
using LoadDriver.Checks;
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
}

/// <summary>The status each kind of the mix should end in when nothing is broken (the chaos suite breaks things).</summary>
public static class ExpectedOutcome
{
    public static string For(Payouts.PayoutKind kind) => kind == Payouts.PayoutKind.Reject ? "failed" : "succeeded";
}
