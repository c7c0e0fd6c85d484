using System.Text.Json.Serialization;
using Refit;

namespace Gateway.Partners.Prb;

/// <summary>prb's wire API (partners.md §2): pain.001 in, pain.002 out, and the status inquiry.</summary>
public interface IPrbApi
{
    [Post("/iso20022/v1/credit-transfers")]
    Task<HttpResponseMessage> TransferAsync([Body] PrbCreditTransfer transfer, CancellationToken cancellationToken);

    [Get("/iso20022/v1/credit-transfers/{endToEndId}/status")]
    Task<HttpResponseMessage> StatusAsync(string endToEndId, CancellationToken cancellationToken);
}

public sealed record PrbCreditTransfer(
    [property: JsonPropertyName("msgId")] string MsgId,
    [property: JsonPropertyName("endToEndId")] string EndToEndId,
    [property: JsonPropertyName("instdAmt")] PrbAmount InstdAmt,
    [property: JsonPropertyName("cdtr")] PrbParty Cdtr,
    [property: JsonPropertyName("cdtrAcct")] PrbAccount CdtrAcct,
    [property: JsonPropertyName("cdtrAgt")] PrbAgent CdtrAgt,
    [property: JsonPropertyName("rmtInf")] string RmtInf);

public sealed record PrbAmount([property: JsonPropertyName("ccy")] string Ccy, [property: JsonPropertyName("value")] string Value);

public sealed record PrbParty([property: JsonPropertyName("nm")] string Nm);

public sealed record PrbAccount([property: JsonPropertyName("id")] string Id);

public sealed record PrbAgent([property: JsonPropertyName("bankCode")] string BankCode);

/// <summary>pain.002: the status of one transfer.</summary>
public sealed record PrbStatusReport(
    [property: JsonPropertyName("orgnlEndToEndId")] string? OrgnlEndToEndId,
    [property: JsonPropertyName("txSts")] string? TxSts,
    [property: JsonPropertyName("acctSvcrRef")] string? AcctSvcrRef,
    [property: JsonPropertyName("stsRsnInf")] PrbStatusReason? StsRsnInf);

public sealed record PrbStatusReason(
    [property: JsonPropertyName("rsn")] PrbReason? Rsn,
    [property: JsonPropertyName("addtlInf")] string? AddtlInf);

public sealed record PrbReason([property: JsonPropertyName("cd")] string? Cd, [property: JsonPropertyName("prtry")] string? Prtry);

/// <summary>The error body of 400 and 503 answers.</summary>
public sealed record PrbError([property: JsonPropertyName("error")] string? Error, [property: JsonPropertyName("detail")] string? Detail);
