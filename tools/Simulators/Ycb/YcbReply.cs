namespace Simulators.Ycb;

/// <summary>The body of a ycb answer: <c>{ retCode, retMsg, data? }</c>.</summary>
internal sealed record YcbReply(string RetCode, string? RetMsg, YcbReplyData? Data = null)
{
    /// <summary>A code with its table message and no data.</summary>
    public static YcbReply Of(string code) => new(code, YcbCodes.Message(code));

    public static YcbReply Succeeded(string reqSeqNo, string bankSeqNo) =>
        new(YcbCodes.Success, YcbCodes.Message(YcbCodes.Success), new YcbReplyData(reqSeqNo, bankSeqNo, "S"));

    public static YcbReply Processing(string reqSeqNo) =>
        new(YcbCodes.Success, YcbCodes.Message(YcbCodes.Success), new YcbReplyData(reqSeqNo, null, "P"));

    public static YcbReply Failed(string reqSeqNo, string code) =>
        new(code, YcbCodes.Message(code), new YcbReplyData(reqSeqNo, null, "F"));
}

/// <summary><c>data</c> of a disburse or inquiry answer.</summary>
internal sealed record YcbReplyData(string ReqSeqNo, string? BankSeqNo, string TxnStatus);
