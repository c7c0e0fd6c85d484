using LoadDriver.Api;

namespace LoadDriver.Checks;

/// <summary>What a run tolerates: the load suite nothing, a chaos scenario what its fault explains.</summary>
public sealed record CheckPolicy
{
    /// <summary>Strict: every payout must be final after the drain. Otherwise one still processing is allowed if the gateway is still working on it.</summary>
    public bool RequireAllFinal { get; init; } = true;

    /// <summary>A processing payout whose last attempt is more recent than this is still being resolved (when finality is not required).</summary>
    public TimeSpan ActiveWithin { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Server errors the fault explains (e.g. 503 state-store-unavailable while Redis is down); none by default.</summary>
    public Func<SubmitAnswer, bool> ServerErrorExplained { get; init; } = _ => false;

    /// <summary>Answers to a repeated key, other than 200 replay and 409, the fault explains (e.g. the same 503s); none by default.</summary>
    public Func<SubmitAnswer, bool> RepeatAnswerExplained { get; init; } = _ => false;

    /// <summary>
    /// Payouts the API cannot show that the fault explains (e.g. recorded before Redis lost its data,
    /// and the loss then accepted by on-call); none by default.
    /// </summary>
    public Func<ResolvedPayout, bool> MissingPayoutExplained { get; init; } = _ => false;

    /// <summary>
    /// The faults the run declares: a payout submitted in one may end failed with one of its causes
    /// (or succeed at another partner) instead of as its kind expects. None by default, so every
    /// unexpected outcome fails the run.
    /// </summary>
    public IReadOnlyList<FaultWindow> FaultWindows { get; init; } = [];

    /// <summary>
    /// Faults declared while the run goes (a chaos scenario's fault log): read once, when the run's
    /// checks are evaluated, and added to <see cref="FaultWindows"/> (<see cref="Resolved"/>).
    /// </summary>
    public Func<IReadOnlyList<FaultWindow>>? DeclaredDuringRun { get; init; }

    /// <summary>This policy with the faults declared during the run in <see cref="FaultWindows"/>.</summary>
    public CheckPolicy Resolved() => DeclaredDuringRun is { } declared
        ? this with { FaultWindows = [.. FaultWindows, .. declared()], DeclaredDuringRun = null }
        : this;

    /// <summary>Why the fault may explain something, for the report.</summary>
    public string? Allowance { get; init; }
}
