using System.Text.Json.Serialization;

namespace Simulators.Prb;

internal sealed record PrbTransferRequest(
    [property: JsonPropertyName("msgId")] string? MsgId,
    [property: JsonPropertyName("endToEndId")] string? EndToEndId,
    [property: JsonPropertyName("instdAmt")] PrbAmountDto? InstdAmt,
    [property: JsonPropertyName("cdtr")] PrbNameDto? Cdtr,
    [property: JsonPropertyName("cdtrAcct")] PrbIdDto? CdtrAcct,
    [property: JsonPropertyName("cdtrAgt")] PrbBankDto? CdtrAgt,
    [property: JsonPropertyName("rmtInf")] string? RmtInf);

internal sealed record PrbAmountDto([property: JsonPropertyName("ccy")] string? Ccy, [property: JsonPropertyName("value")] string? Value);

internal sealed record PrbNameDto([property: JsonPropertyName("nm")] string? Nm);

internal sealed record PrbIdDto([property: JsonPropertyName("id")] string? Id);

internal sealed record PrbBankDto([property: JsonPropertyName("bankCode")] string? BankCode);

/// <summary>pain.002 as the bank answers it (stsRsnInf is always present, null when accepted).</summary>
internal sealed record PrbReport(
    [property: JsonPropertyName("orgnlEndToEndId")] string OrgnlEndToEndId,
    [property: JsonPropertyName("txSts")] string TxSts,
    [property: JsonPropertyName("acctSvcrRef")] string? AcctSvcrRef,
    [property: JsonPropertyName("stsRsnInf"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] PrbReasonInfo? StsRsnInf);

internal sealed record PrbReasonInfo([property: JsonPropertyName("rsn")] PrbReasonCode Rsn, [property: JsonPropertyName("addtlInf")] string? AddtlInf);

internal sealed record PrbReasonCode([property: JsonPropertyName("cd")] string? Cd, [property: JsonPropertyName("prtry")] string? Prtry);

internal sealed record PrbErrorReply([property: JsonPropertyName("error")] string Error, [property: JsonPropertyName("detail")] string Detail);

internal sealed record PrbBalanceReply([property: JsonPropertyName("ccy")] string Ccy, [property: JsonPropertyName("available")] string Available);

internal sealed record PrbHealthReply([property: JsonPropertyName("status")] string Status);

/// <summary>One transfer the bank executed.</summary>
public sealed record PrbExecution(string EndToEndId, string MsgId, decimal Amount, string Currency, string CreditorAccount, string AcctSvcrRef, DateTimeOffset At);
