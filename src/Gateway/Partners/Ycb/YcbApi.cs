using System.Text.Json.Serialization;
using Refit;

namespace Gateway.Partners.Ycb;

/// <summary>ycb's wire API (partners.md §1). Answers come back raw and are read by <see cref="YcbClient"/>.</summary>
public interface IYcbApi
{
    [Post("/api/v2/disburse")]
    Task<HttpResponseMessage> DisburseAsync([Body] YcbDisburseRequest request, CancellationToken cancellationToken);

    [Get("/api/v2/disburse/{reqSeqNo}")]
    Task<HttpResponseMessage> InquireAsync(string reqSeqNo, CancellationToken cancellationToken);
}

public sealed record YcbDisburseRequest(
    [property: JsonPropertyName("reqSeqNo")] string ReqSeqNo,
    [property: JsonPropertyName("payeeAcctNo")] string PayeeAcctNo,
    [property: JsonPropertyName("payeeName")] string PayeeName,
    [property: JsonPropertyName("payeeBankCode")] string PayeeBankCode,
    [property: JsonPropertyName("amount")] string Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("remark")] string Remark);

public sealed record YcbAnswer(
    [property: JsonPropertyName("retCode")] string? RetCode,
    [property: JsonPropertyName("retMsg")] string? RetMsg,
    [property: JsonPropertyName("data")] YcbAnswerData? Data);

public sealed record YcbAnswerData(
    [property: JsonPropertyName("reqSeqNo")] string? ReqSeqNo,
    [property: JsonPropertyName("bankSeqNo")] string? BankSeqNo,
    [property: JsonPropertyName("txnStatus")] string? TxnStatus);
