namespace Gateway.OpenApi;

/// <summary>
/// The examples of payout-api.md, in content as the spec has them; the payout id is a well-formed
/// one (the spec elides it) so every example validates against its schema.
/// </summary>
internal static class OpenApiExamples
{
    /// <summary>A well-formed payout id (<c>po_</c> and 26 characters of [a-z2-7]).</summary>
    public const string PayoutId = "po_3nq7zk2m5x4rd6tv7bw2ypjhaq";

    public const string IdempotencyKey = "LN-2026-000123-disbursement-1";

    public const string Request = """
        { "loanId": "LN-2026-000123",
          "amount": "5000.00",
          "currency": "CNY",
          "beneficiary": { "name": "张三", "accountNumber": "6222020200112233445", "bankCode": "ICBC" },
          "partner": "ycb",
          "metadata": { "channel": "app" } }
        """;

    /// <summary>What <c>/v1/diagnostics</c> adds to <see cref="FailedPayout"/> for on-call.</summary>
    public const string OnCallAdvice = """
        { "owner": "borrower", "action": "Ask the borrower to unfreeze the account or give another one; do not resubmit unchanged.",
          "resubmit": "resubmit_after_fix", "hops": [ { "partner": "ycb", "kind": "business", "cause": "ACCOUNT_FROZEN" } ] }
        """;

    public const string FailedPayout = """
        { "id": "po_3nq7zk2m5x4rd6tv7bw2ypjhaq", "loanId": "LN-2026-000123", "amount": "5000.00", "currency": "CNY",
          "beneficiary": { "name": "张*", "accountNumber": "************3445", "bankCode": "ICBC" },
          "status": "failed",
          "partner": "ycb", "partnerReference": "YCB20261122000001",
          "createdAt": "2026-11-22T08:00:00.000Z", "completedAt": "2026-11-22T08:00:00.412Z",
          "attempts": [
            { "partner": "ycb", "at": "2026-11-22T08:00:00.000Z", "elapsedMs": 3001, "outcome": "timeout" },
            { "partner": "ycb", "at": "2026-11-22T08:00:03.002Z", "elapsedMs": 38, "outcome": "inquiry", "partnerCode": "0000", "partnerStatus": "F" } ],
          "failure": {
            "category": "beneficiary_account", "cause": "ACCOUNT_FROZEN",
            "owner": "borrower", "resubmit": "resubmit_after_fix", "isoReason": "AC06",
            "summary": "ycb answered 1003 (收款账户已冻结): the beneficiary account is frozen at the receiving bank.",
            "borrowerMessage": { "zh-CN": "您的收款账户已被冻结,请联系开户行或更换收款账户后重试。",
                                 "en": "Your receiving account is frozen. Contact your bank or use another account." },
            "evidence": { "partner": "ycb", "partnerCode": "1003", "partnerMessage": "收款账户已冻结",
                          "httpStatus": 200, "attempts": 2, "elapsedMs": 3039, "circuit": "closed",
                          "traceId": "4bf92f3577b34da6a3ce929d0e0e4736" } },
          "metadata": { "channel": "app" } }
        """;
}
