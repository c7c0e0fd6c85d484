using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Payouts;
using LoadDriver.Recording;
using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace Load.Tests.Reports;

/// <summary>Hand-made load run results for the report tests.</summary>
internal static class RunFixture
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The steady phase starts this long after the warm-up.</summary>
    public static readonly TimeSpan SteadyAfter = TimeSpan.FromSeconds(2);

    public static Submission Sent(string phase, int index, string key, double intendedSeconds, double latencyMs, int? status,
        PayoutKind kind = PayoutKind.Ordinary)
    {
        var intended = TimeSpan.FromSeconds(intendedSeconds);
        var finished = intended + TimeSpan.FromMilliseconds(latencyMs);
        var phaseStart = phase == LoadRun.WarmupPhase ? Start : Start + SteadyAfter;
        var answer = new SubmitAnswer(status, status is 201 ? "po_" + key : null, status is 201 ? "succeeded" : null, false, null, null,
            status is null ? "connection refused" : null, phaseStart + intended, phaseStart + finished);
        return new Submission(Planned(phase, index, key, kind),
            new ScheduledRequest<SubmitAnswer>(index, RequestFate.Completed, intended, intended, finished, answer));
    }

    public static Submission NotSent(string phase, int index, string key, double intendedSeconds) =>
        new(Planned(phase, index, key, PayoutKind.Ordinary),
            new ScheduledRequest<SubmitAnswer>(index, RequestFate.NotSentInTime, TimeSpan.FromSeconds(intendedSeconds), null, null, null));

    public static ResolvedPayout Resolved(string key, string? status, string? cause = null, PayoutKind kind = PayoutKind.Ordinary) =>
        new(key, kind, [], [], status is null ? null : "po_" + key,
            status is null ? null : new PayoutView("po_" + key, status, cause, 1, null, null));

    public static LoadRunResult Result(IReadOnlyList<Submission> submissions, IReadOnlyList<ResolvedPayout> payouts,
        IReadOnlyList<CheckResult>? checks = null)
    {
        var warmup = Phase(submissions.Where(s => s.Payout.Phase == LoadRun.WarmupPhase).ToList());
        var steady = Phase(submissions.Where(s => s.Payout.Phase == LoadRun.SteadyPhase).ToList());
        return new LoadRunResult(new LoadOptions { Rate = 10, Duration = TimeSpan.FromSeconds(3), Warmup = SteadyAfter, RunId = "run-test" },
            warmup, steady, submissions, payouts, checks ?? [new CheckResult("no payout executed twice", true, "3 payouts", [])],
            new CheckPolicy(), Start, Start + SteadyAfter, TimeSpan.FromSeconds(1));
    }

    private static ScheduleResult<SubmitAnswer> Phase(List<Submission> submissions)
    {
        var latency = new LatencyHistogram();
        foreach (var s in submissions.Where(s => s.Request.Latency is not null))
        {
            latency.Record(s.Request.Latency!.Value);
        }

        return new ScheduleResult<SubmitAnswer>(new ScheduleOptions { RatePerSecond = 10, Count = Math.Max(1, submissions.Count) },
            submissions.Select(s => s.Request).ToList(), latency, new LatencyHistogram(), TimeSpan.FromSeconds(3));
    }

    private static PlannedPayout Planned(string phase, int index, string key, PayoutKind kind) =>
        new(phase, index, kind, kind, key, "6222020200112233445", "10.00", "{}", null);
}
