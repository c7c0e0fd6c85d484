namespace Simulators.Ycb;

/// <summary>One payment the simulated bank actually made (money moved).</summary>
public sealed record YcbExecution(
    string ReqSeqNo,
    string PayeeAcctNo,
    string PayeeName,
    string PayeeBankCode,
    decimal Amount,
    string BankSeqNo,
    DateTimeOffset At);
