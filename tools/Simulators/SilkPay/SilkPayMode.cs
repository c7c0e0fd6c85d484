namespace Simulators.SilkPay;

/// <summary>How the simulated SilkPay treats a transfer request (see <see cref="SilkPayBehaviour"/>).</summary>
public enum SilkPayMode
{
    /// <summary>Executes and answers <c>paid</c>; with <see cref="SilkPayBehaviour.FailureCode"/>, answers <c>failed</c> with it instead (nothing executed).</summary>
    Normal,

    /// <summary>
    /// Answers an error without executing or keeping the key: HTTP <see cref="SilkPayBehaviour.HttpStatus"/>
    /// (default 400) with <see cref="SilkPayBehaviour.ErrorCode"/> (default <c>parameter_invalid</c>
    /// for 400, <c>balance_insufficient</c> for 402).
    /// </summary>
    Error,

    /// <summary>HTTP 429 <c>rate_limit_error</c> with <c>Retry-After</c>; nothing executed, the key not kept.</summary>
    Throttle,

    /// <summary>
    /// Answers <c>pending</c> (or <see cref="SilkPayBehaviour.PendingStatus"/>); settles after the
    /// options' SettleAfter to <c>paid</c>, or to <c>failed</c> with <see cref="SilkPayBehaviour.FailureCode"/>.
    /// </summary>
    ProcessingThenSettle,

    /// <summary>Executes, then answers <c>paid</c> after <see cref="SilkPayBehaviour.Delay"/> (default: the options' SlowDelay).</summary>
    SlowAfterExecute,

    /// <summary>Executes, then closes the connection without an HTTP answer.</summary>
    DropAfterExecute,

    /// <summary>HTTP <see cref="SilkPayBehaviour.HttpStatus"/> (500, 502 or 503; default 500) <c>api_error</c> without executing.</summary>
    ServerError,

    /// <summary>Executes, then answers HTTP <see cref="SilkPayBehaviour.HttpStatus"/> (default 500) <c>api_error</c>.</summary>
    ExecuteThenServerError,

    /// <summary>Executes, then answers HTTP 200 with a truncated JSON body.</summary>
    Malformed,
}
