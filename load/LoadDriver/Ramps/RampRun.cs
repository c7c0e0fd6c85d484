using System.Globalization;
using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Ledger;
using LoadDriver.Payouts;
using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace LoadDriver.Ramps;

/// <summary>
/// A ramp against a gateway: a warm-up at the start rate, then open-model steps at rising rates
/// (fresh payouts each, <see cref="RampPlan"/> decides the next rate or the stop), then one bounded
/// drain until every payout of every step is final and the same correctness checks as a load run.
/// </summary>
public sealed class RampRun(GatewayTargets targets, IPartnerLedger ledger, TimeProvider? time = null)
{
    public RampRun(GatewayClient client, IPartnerLedger ledger, TimeProvider? time = null)
        : this(GatewayTargets.Of(client), ledger, time)
    {
    }

    /// <summary>Called after each step with its figures and the decision that follows (progress output).</summary>
    public Action<RampStep, RampDecision>? StepFinished { get; init; }

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public static string StepPhase(int number) => "ramp-" + number.ToString("D2", CultureInfo.InvariantCulture);

    public async Task<RampRunResult> RunAsync(RampOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = new RampPlan(options);
        var load = options.Load;
        var planner = new PayoutPlanner(load.RunId, load.Mix, load.Seed, load.DuplicateReach);
        var scheduler = new OpenLoopScheduler(_time);
        var hooks = new LoadHooks();
        var startedAt = _time.GetUtcNow();
        var clock = _time.GetTimestamp();

        var warmupPlan = planner.Plan(LoadRun.WarmupPhase, ScheduleOptions.CountFor(options.StartRate, load.Warmup, load.MaxRequests));
        var warmup = await PayoutPhase.RunAsync(targets, scheduler, _time, warmupPlan, options.StartRate, load, hooks, startedAt, cancellationToken);
        var submissions = PayoutPhase.Pair(warmupPlan, warmup, targets, startedAt).ToList();

        var steps = new List<RampStep>();
        var latencies = new List<ScheduleResult<SubmitAnswer>>();
        // Bounded: RampPlan stops after MaxSteps (at most RampOptions.StepLimit) and before MaxDuration.
        var decision = plan.Next(steps, _time.GetElapsedTime(clock));
        while (decision.NextRate is { } rate)
        {
            var number = steps.Count + 1;
            var stepPlan = planner.Plan(StepPhase(number), ScheduleOptions.CountFor(rate, options.StepDuration, load.MaxRequests));
            var stepStart = _time.GetUtcNow();
            var result = await PayoutPhase.RunAsync(targets, scheduler, _time, stepPlan, rate, load, hooks, stepStart, cancellationToken);
            var paired = PayoutPhase.Pair(stepPlan, result, targets, stepStart).ToList();
            submissions.AddRange(paired);
            latencies.Add(result);
            var step = RampStepMeasure.From(number, rate, result.AchievedRate, paired);
            steps.Add(step);
            decision = plan.Next(steps, _time.GetElapsedTime(clock));
            StepFinished?.Invoke(step, decision);
        }

        var rampTook = _time.GetElapsedTime(clock);
        var drainStart = _time.GetTimestamp();
        var policy = new CheckPolicy();
        var payouts = await new PayoutResolver(targets.Primary, _time).ResolveAsync(submissions, load.ResolveTimeout, cancellationToken);
        var executions = await ledger.ExecutionCountsAsync(cancellationToken);
        var checks = CorrectnessChecks.Evaluate(payouts, executions, ledger.IsExclusive, policy, _time.GetUtcNow());
        return new RampRunResult(options, warmup, steps, latencies, plan.Outcome(steps, decision), submissions, payouts, checks, policy,
            startedAt, rampTook, _time.GetElapsedTime(drainStart));
    }
}
