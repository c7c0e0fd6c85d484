namespace Simulators.Ycb;

/// <summary>
/// What the simulated bank does with the next <paramref name="Times"/> disbursements to one
/// beneficiary account; afterwards that account behaves <see cref="YcbMode.Normal"/>.
/// </summary>
/// <param name="Mode">The kind of answer.</param>
/// <param name="RetCode">For <see cref="YcbMode.Normal"/> and <see cref="YcbMode.ExecuteThenUnknown"/>: the code to answer.</param>
/// <param name="Delay">How long to wait before answering (any mode; SlowAfterExecute defaults to the options' SlowDelay).</param>
/// <param name="SettleRetCode">For <see cref="YcbMode.ProcessingThenSettle"/>: null/0000 settles S, anything else F with that code.</param>
/// <param name="Times">How many matching disbursement requests this behaviour applies to.</param>
public sealed record YcbBehaviour(
    YcbMode Mode = YcbMode.Normal,
    string? RetCode = null,
    TimeSpan? Delay = null,
    string? SettleRetCode = null,
    int Times = int.MaxValue);
