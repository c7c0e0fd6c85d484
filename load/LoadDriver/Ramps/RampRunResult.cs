using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace LoadDriver.Ramps;

/// <summary>
/// A finished ramp: the warm-up, every step's figures (and its phase, in the same order), the
/// saturation point, every key resolved and the correctness checks over all of them.
/// </summary>
public sealed record RampRunResult(
    RampOptions Options,
    ScheduleResult<SubmitAnswer> Warmup,
    IReadOnlyList<RampStep> Steps,
    IReadOnlyList<ScheduleResult<SubmitAnswer>> StepPhases,
    RampOutcome Outcome,
    IReadOnlyList<Submission> Submissions,
    IReadOnlyList<ResolvedPayout> Payouts,
    IReadOnlyList<CheckResult> Checks,
    CheckPolicy Policy,
    DateTimeOffset StartedAt,
    TimeSpan RampTook,
    TimeSpan DrainTook)
{
    /// <summary>The verdict: every correctness check held. Speed never changes it.</summary>
    public bool Correct => Checks.All(c => c.Passed);
}
