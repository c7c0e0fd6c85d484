using LoadDriver.Api;
using LoadDriver.Payouts;
using LoadDriver.Scheduling;

namespace LoadDriver.Runs;

/// <summary>One open-model phase of planned payouts at a constant rate (a load run's warm-up or steady phase, a ramp step), spread over the instances.</summary>
internal static class PayoutPhase
{
    /// <summary>
    /// Runs the phase. <paramref name="watch"/>, when given, sees every answer as it comes (with the request's intended
    /// wall-clock time) and may end the phase early (<see cref="PhaseWatch.StopWhen"/>).
    /// </summary>
    public static Task<ScheduleResult<SubmitAnswer>> RunAsync(GatewayTargets targets, OpenLoopScheduler scheduler, TimeProvider time,
        IReadOnlyList<PlannedPayout> plan, double rate, LoadOptions options, LoadHooks hooks, DateTimeOffset phaseStart,
        CancellationToken cancellationToken, PhaseWatch? watch = null) =>
        scheduler.RunAsync(
            new ScheduleOptions
            {
                RatePerSecond = rate,
                Count = plan.Count,
                MaxInFlight = options.MaxInFlight,
                DrainTimeout = options.AnswerDrainTimeout,
                StopWhen = watch?.StopWhen,
            },
            async (index, token) =>
            {
                var payout = plan[index];
                hooks.BeforeSend?.Invoke(payout, time.GetUtcNow() - phaseStart);
                var answer = await targets.For(payout).SubmitAsync(payout.Key, payout.Body, token);
                watch?.Answered(payout, phaseStart + TimeSpan.FromSeconds(index / rate), answer);
                return answer;
            },
            cancellationToken);

    /// <summary>The phase's submissions: the planned payouts that were dealt with (all, unless the phase stopped early), with their requests.</summary>
    public static IEnumerable<Submission> Pair(IReadOnlyList<PlannedPayout> plan, ScheduleResult<SubmitAnswer> result, GatewayTargets targets,
        DateTimeOffset? phaseStart = null) =>
        plan.Take(result.Requests.Count).Select((payout, i) => new Submission(payout, result.Requests[i], targets.InstanceFor(payout)) { PhaseStartedAt = phaseStart });
}

/// <summary>What a phase reports as it runs: each answer (with its intended time), and whether to stop sending.</summary>
internal sealed record PhaseWatch(Action<PlannedPayout, DateTimeOffset, SubmitAnswer> Answered, Func<bool>? StopWhen = null);
