namespace Simulators.Ycb;

/// <summary>A reference the bank holds: its order and where it stands (S, P or F).</summary>
internal sealed record YcbTransaction(
    YcbDisburseOrder Order,
    string TxnStatus,
    string RetCode,
    string? BankSeqNo = null,
    DateTimeOffset? SettleAt = null,
    string? SettleRetCode = null)
{
    public YcbReply Reply() => TxnStatus switch
    {
        "S" => YcbReply.Succeeded(Order.ReqSeqNo, BankSeqNo!),
        "P" => YcbReply.Processing(Order.ReqSeqNo),
        _ => YcbReply.Failed(Order.ReqSeqNo, RetCode),
    };
}
