using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Ledger;
using LoadDriver.Payouts;
using LoadDriver.Scheduling;

namespace LoadDriver.Runs;

/// <summary>
/// One run against a gateway: a warm-up, the steady phase (open model, see
/// <see cref="OpenLoopScheduler"/>), a bounded drain until every payout is final, then the
/// correctness checks against the partner's ledger. With several gateway instances the requests
/// are spread over them (<see cref="InstanceRouter"/>).
/// </summary>
public sealed class LoadRun(GatewayTargets targets, IPartnerLedger ledger, TimeProvider? time = null)
{
    public LoadRun(GatewayClient client, IPartnerLedger ledger, TimeProvider? time = null)
        : this(GatewayTargets.Of(client), ledger, time)
    {
    }

    public const string WarmupPhase = "warmup";
    public const string SteadyPhase = "steady";

    /// <summary>The load after the steady phase that goes on until the outcomes show recovery from the last declared fault (<see cref="LoadOptions.RecoveryEvidence"/>).</summary>
    public const string AfterFaultPhase = "after-fault";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<LoadRunResult> RunAsync(LoadOptions options, CheckPolicy? policy = null, LoadHooks? hooks = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        policy ??= new CheckPolicy();
        hooks ??= new LoadHooks();
        var planner = new PayoutPlanner(options.RunId, options.Mix, options.Seed, options.DuplicateReach);
        var scheduler = new OpenLoopScheduler(_time);
        var startedAt = _time.GetUtcNow();

        var warmupPlan = planner.Plan(WarmupPhase, ScheduleOptions.CountFor(options.Rate, options.Warmup, options.MaxRequests));
        var warmup = await RunPhaseAsync(scheduler, warmupPlan, options, hooks, startedAt, cancellationToken);

        var recovery = options.RecoveryEvidence > TimeSpan.Zero ? new RecoveryWatch() : null;
        var steadyPlan = planner.Plan(SteadyPhase, ScheduleOptions.CountFor(options.Rate, options.Duration, options.MaxRequests));
        var steadyStartedAt = _time.GetUtcNow();
        var fault = hooks.DuringSteady?.Invoke(cancellationToken) ?? Task.CompletedTask;
        ScheduleResult<SubmitAnswer> steady;
        try
        {
            steady = await RunPhaseAsync(scheduler, steadyPlan, options, hooks, steadyStartedAt, cancellationToken,
                recovery is null ? null : new PhaseWatch(recovery.Answered));
        }
        finally
        {
            await fault;
        }

        // Faults are declared by the steady phase's hook, which has ended: read them once, for the after-fault phase and the checks.
        policy = policy.Resolved();
        var submissions = Pair(warmupPlan, warmup, startedAt).Concat(Pair(steadyPlan, steady, steadyStartedAt)).ToList();
        if (recovery is not null && FaultWindow.LastEnd(policy.FaultWindows) is { } faultEnd && !recovery.Recovered(faultEnd, options.RecoveryEvidence)
            && AfterFaultLength(options, faultEnd, _time.GetUtcNow()) is { } length)
        {
            var afterPlan = planner.Plan(AfterFaultPhase, ScheduleOptions.CountFor(options.Rate, length, options.MaxRequests));
            var afterStartedAt = _time.GetUtcNow();
            var after = await RunPhaseAsync(scheduler, afterPlan, options, hooks, afterStartedAt, cancellationToken,
                new PhaseWatch(recovery.Answered, () => recovery.Recovered(faultEnd, options.RecoveryEvidence)));
            submissions.AddRange(Pair(afterPlan, after, afterStartedAt));
        }

        var drainStart = _time.GetTimestamp();
        var payouts = await new PayoutResolver(targets.Primary, _time).ResolveAsync(submissions, options.ResolveTimeout, cancellationToken);
        var executions = await ledger.ExecutionCountsAsync(cancellationToken);
        var checks = CorrectnessChecks.Evaluate(payouts, executions, ledger.IsExclusive, policy, _time.GetUtcNow());
        return new LoadRunResult(options, warmup, steady, submissions, payouts, checks, policy, startedAt, steadyStartedAt,
            _time.GetElapsedTime(drainStart));
    }

    /// <summary>
    /// The longest the after-fault phase may be when the steady phase ended at <paramref name="now"/> and the last declared
    /// fault at <paramref name="faultEnd"/>: until <see cref="LoadOptions.AwaitRecovery"/> after the fault's end, at most
    /// <see cref="LoadOptions.MaxAfterFault"/>; null when less than one arrival is left of it. The phase stops earlier as
    /// soon as the outcomes show recovery.
    /// </summary>
    public static TimeSpan? AfterFaultLength(LoadOptions options, DateTimeOffset faultEnd, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var missing = faultEnd + options.AwaitRecovery - now;
        return missing >= TimeSpan.FromSeconds(1) / options.Rate ? TimeSpan.FromTicks(Math.Min(missing.Ticks, LoadOptions.MaxAfterFault.Ticks)) : null;
    }

    private Task<ScheduleResult<SubmitAnswer>> RunPhaseAsync(OpenLoopScheduler scheduler, IReadOnlyList<PlannedPayout> plan,
        LoadOptions options, LoadHooks hooks, DateTimeOffset phaseStart, CancellationToken cancellationToken, PhaseWatch? watch = null) =>
        PayoutPhase.RunAsync(targets, scheduler, _time, plan, options.Rate, options, hooks, phaseStart, cancellationToken, watch);

    private IEnumerable<Submission> Pair(IReadOnlyList<PlannedPayout> plan, ScheduleResult<SubmitAnswer> result, DateTimeOffset phaseStart) =>
        PayoutPhase.Pair(plan, result, targets, phaseStart);
}
