using LoadDriver.Payouts;

namespace LoadDriver.Runs;

/// <summary>A load run: a warm-up, then a steady phase at <see cref="Rate"/>, then a bounded drain.</summary>
public sealed record LoadOptions
{
    /// <summary>Arrivals per second in both phases. Default 50.</summary>
    public double Rate { get; init; } = 50;

    /// <summary>Length of the steady (measured) phase. Default 30 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Length of the warm-up (its latencies are not reported; its payouts are checked). Default 5 s.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public PayoutMix Mix { get; init; } = PayoutMix.Default;

    /// <summary>Seed of the plan: the same seed gives the same kinds, accounts and amounts.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Cap on the requests of one phase, whatever rate × duration says. Default 100,000.</summary>
    public int MaxRequests { get; init; } = 100_000;

    /// <summary>Requests in flight at once; one due beyond this is counted "not sent in time". Default 256.</summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>Client timeout of one request. Default 30 s (the gateway answers within its sync budget).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long, after the last request is due, a phase waits for answers. Default 40 s.</summary>
    public TimeSpan AnswerDrainTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>How long the drain waits for every payout to be final (resubmitting unanswered keys, polling). Default 90 s.</summary>
    public TimeSpan ResolveTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How far back (in requests of the phase) a duplicate picks its original. Default 20; 1 takes
    /// the latest payout, so with several instances the duplicate often arrives at another instance
    /// while the original is still in flight there.
    /// </summary>
    public int DuplicateReach { get; init; } = PayoutPlanner.DefaultDuplicateReach;

    /// <summary>
    /// How long a stretch of outcomes as expected must follow the last declared fault before the load may stop (a chaos
    /// run's recovery is judged on the payouts submitted after the fault, <see cref="RecoveryWatch"/>). When the steady
    /// phase has not shown it by its end (a breaker still open, a restart slowed by a busy machine), an after-fault phase
    /// at the same rate goes on until it has, for at most <see cref="AwaitRecovery"/> after the fault's end.
    /// Zero (the default): no after-fault phase.
    /// </summary>
    public TimeSpan RecoveryEvidence { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long after the last declared fault's end the after-fault phase may wait for <see cref="RecoveryEvidence"/>
    /// (a chaos scenario's recovery bound and the evidence span; at most <see cref="MaxAfterFault"/> of load).
    /// </summary>
    public TimeSpan AwaitRecovery { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest after-fault phase, whatever <see cref="AwaitRecovery"/> and the fault's end say.</summary>
    public static readonly TimeSpan MaxAfterFault = TimeSpan.FromSeconds(30);

    /// <summary>Part of every Idempotency-Key, so runs never collide.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..12];
}
