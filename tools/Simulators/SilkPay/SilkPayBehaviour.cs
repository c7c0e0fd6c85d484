namespace Simulators.SilkPay;

/// <summary>
/// What the simulated SilkPay does with the next <paramref name="Times"/> transfer requests to one
/// destination account; afterwards that account behaves <see cref="SilkPayMode.Normal"/>.
/// </summary>
/// <param name="Mode">The kind of answer.</param>
/// <param name="FailureCode">Normal: answer <c>failed</c> with this code. ProcessingThenSettle: settle <c>failed</c> with it (null settles <c>paid</c>).</param>
/// <param name="HttpStatus">Error (default 400), ServerError and ExecuteThenServerError (default 500): the status to answer.</param>
/// <param name="ErrorCode">Error: the <c>error.code</c> (default by status: 400 parameter_invalid, 402 balance_insufficient).</param>
/// <param name="Delay">How long to wait before answering (any mode; SlowAfterExecute defaults to the options' SlowDelay).</param>
/// <param name="RetryAfter">Throttle: the <c>Retry-After</c> header, whole seconds (default 1 s).</param>
/// <param name="PendingStatus">ProcessingThenSettle: <c>pending</c> (default) or <c>in_transit</c>.</param>
/// <param name="Times">How many matching transfer requests this behaviour applies to.</param>
public sealed record SilkPayBehaviour(
    SilkPayMode Mode = SilkPayMode.Normal,
    string? FailureCode = null,
    int? HttpStatus = null,
    string? ErrorCode = null,
    TimeSpan? Delay = null,
    TimeSpan? RetryAfter = null,
    string? PendingStatus = null,
    int Times = int.MaxValue);
