namespace Simulators.Ycb;

/// <summary>How the simulated bank treats a disbursement (see <see cref="YcbBehaviour"/>).</summary>
public enum YcbMode
{
    /// <summary>Executes and answers 0000/S, or answers <see cref="YcbBehaviour.RetCode"/> without executing.</summary>
    Normal,

    /// <summary>Executes, then answers success after <see cref="YcbBehaviour.Delay"/> (default: the options' SlowDelay).</summary>
    SlowAfterExecute,

    /// <summary>Executes, then closes the connection without an HTTP answer.</summary>
    DropAfterExecute,

    /// <summary>Answers 0000/P; settles after the options' SettleAfter (S, or F with <see cref="YcbBehaviour.SettleRetCode"/>).</summary>
    ProcessingThenSettle,

    /// <summary>Executes, then answers HTTP 200 with a truncated JSON body.</summary>
    Malformed,

    /// <summary>Answers HTTP 500 without executing.</summary>
    ServerError,

    /// <summary>Executes, then answers <see cref="YcbBehaviour.RetCode"/> (default 9999) without data.</summary>
    ExecuteThenUnknown,

    /// <summary>Answers late (<see cref="YcbBehaviour.Delay"/>, default SlowDelay) and never executes: the bank lost it.</summary>
    SlowWithoutExecuting,

    /// <summary>Answers HTTP 200 with a truncated body and never executes.</summary>
    MalformedWithoutExecuting,
}
