namespace Simulators.Prb;

/// <summary>How the simulated bank treats a credit transfer.</summary>
public enum PrbMode
{
    /// <summary>Executes and answers ACSC; or, with a reason (<see cref="PrbBehaviour.Cd"/>/<see cref="PrbBehaviour.Prtry"/>), answers RJCT without executing.</summary>
    Normal,

    /// <summary>Executes, then answers ACSC after <see cref="PrbBehaviour.Delay"/> (default: the options' SlowDelay).</summary>
    SlowAfterExecute,

    /// <summary>Executes, then closes the connection without an answer.</summary>
    DropAfterExecute,

    /// <summary>Answers PDNG; after the options' SettleAfter the transfer is ACSC, or RJCT with <see cref="PrbBehaviour.SettleCd"/>.</summary>
    ProcessingThenSettle,

    /// <summary>Executes, then answers 200 with a truncated body.</summary>
    Malformed,

    /// <summary>Answers 500 without executing.</summary>
    ServerError,

    /// <summary>Executes, then answers 500.</summary>
    ExecuteThenServerError,

    /// <summary>Answers 429 with Retry-After: 1 without executing.</summary>
    Throttle,

    /// <summary>Answers 503 {"error":"MAINTENANCE"} with Retry-After without executing.</summary>
    Maintenance,

    /// <summary>Answers 400 {"error":"FF01"} without executing.</summary>
    FormatError,

    /// <summary>
    /// Answers 500 late (<see cref="PrbBehaviour.Delay"/>, default the options' SlowDelay) and never
    /// executes nor keeps the endToEndId: the bank lost it (a hang past the attempt timeout).
    /// </summary>
    SlowWithoutExecuting,
}

/// <summary>
/// A behaviour for the next <paramref name="Times"/> transfers to one beneficiary account;
/// afterwards the account behaves <see cref="PrbMode.Normal"/>.
/// </summary>
public sealed record PrbBehaviour(
    PrbMode Mode = PrbMode.Normal,
    string? Cd = null,
    string? Prtry = null,
    TimeSpan? Delay = null,
    string? SettleCd = null,
    int Times = int.MaxValue);
