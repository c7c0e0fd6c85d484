using LoadDriver.Api;
using LoadDriver.Payouts;
using LoadDriver.Scheduling;

namespace LoadDriver.Runs;

/// <summary>One open-model phase of planned payouts at a constant rate (a load run's warm-up or steady phase, a ramp step), spread over the instances.</summary>
internal static class PayoutPhase
{
    public static Task<ScheduleResult<SubmitAnswer>> RunAsync(GatewayTargets targets, OpenLoopScheduler scheduler, TimeProvider time,
        IReadOnlyList<PlannedPayout> plan, double rate, LoadOptions options, LoadHooks hooks, DateTimeOffset phaseStart,
        CancellationToken cancellationToken) =>
        scheduler.RunAsync(
            new ScheduleOptions
            {
                RatePerSecond = rate,
                Count = plan.Count,
                MaxInFlight = options.MaxInFlight,
                DrainTimeout = options.AnswerDrainTimeout,
            },
            (index, token) =>
            {
                var payout = plan[index];
                hooks.BeforeSend?.Invoke(payout, time.GetUtcNow() - phaseStart);
                return targets.For(payout).SubmitAsync(payout.Key, payout.Body, token);
            },
            cancellationToken);

    public static IEnumerable<Submission> Pair(IReadOnlyList<PlannedPayout> plan, ScheduleResult<SubmitAnswer> result, GatewayTargets targets,
        DateTimeOffset? phaseStart = null) =>
        plan.Select((payout, i) => new Submission(payout, result.Requests[i], targets.InstanceFor(payout)) { PhaseStartedAt = phaseStart });
}
