using Gateway.Diagnosis;
using Gateway.Core;

namespace Gateway.Partners.Ycb;

/// <summary>
/// The ycb adapter: builds the disburse request (the payout id is <c>reqSeqNo</c> on every
/// attempt) and reads <c>retCode</c>/<c>txnStatus</c> through the code table.
/// </summary>
public sealed class YcbClient(IYcbApi api, PartnerWire wire) : IPartnerClient
{
    public string Name => YcbOptions.Name;

    public async Task<PartnerAnswer> DisburseAsync(DisbursementOrder order, CancellationToken cancellationToken)
    {
        var request = new YcbDisburseRequest(
            order.Reference,
            order.Beneficiary.AccountNumber,
            order.Beneficiary.Name,
            order.Beneficiary.BankCode,
            Money.Format(order.Amount),
            order.Currency,
            order.Remark);
        return Read(await PartnerWire.ReceiveAsync(api.DisburseAsync(request, cancellationToken), cancellationToken), inquiry: false);
    }

    public async Task<PartnerAnswer> InquireAsync(string reference, CancellationToken cancellationToken)
    {
        return Read(await PartnerWire.ReceiveAsync(api.InquireAsync(reference, cancellationToken), cancellationToken), inquiry: true);
    }

    private PartnerAnswer Read(WireResponse response, bool inquiry)
    {
        var http = response.Http;
        if (http >= 500)
        {
            // A real outage: the bank may or may not have executed (rule 1).
            return new PartnerAnswer
            {
                Outcome = PartnerOutcome.Unknown, Label = "unavailable", Cause = Causes.PartnerUnavailable, HttpStatus = http,
            };
        }

        var body = response.IsSuccess ? PartnerWire.TryParse<YcbAnswer>(response.Body) : null;
        if (body?.RetCode is null)
        {
            throw new PartnerMalformedResponseException($"ycb answered HTTP {http} without a readable retCode", http);
        }

        var code = body.RetCode;
        var row = wire.Codes.Find(code);
        var answer = PartnerWire.Unmapped(http, code, body.RetMsg) with
        {
            PartnerStatus = PartnerText.Code(body.Data?.TxnStatus),
            PartnerReference = PartnerText.Reference(body.Data?.BankSeqNo),
        };

        return inquiry ? ReadInquiry(answer, row, body.Data?.TxnStatus) : ReadDisburse(answer, row, body.Data?.TxnStatus);
    }

    private static PartnerAnswer ReadDisburse(PartnerAnswer answer, CodeRow? row, string? txnStatus) =>
        row?.Meaning == CodeMeaning.ByStatus ? ByStatus(answer, txnStatus) : PartnerWire.ByRow(answer, row);

    /// <summary>
    /// An inquiry speaks of the payout only through the transaction record: 1404 (never received)
    /// or a <c>txnStatus</c>. Any other answer (busy, signature, maintenance) says the inquiry
    /// failed, not the payout, and leaves the outcome unknown.
    /// </summary>
    private static PartnerAnswer ReadInquiry(PartnerAnswer answer, CodeRow? row, string? txnStatus)
    {
        if (row?.Meaning == CodeMeaning.NotFound)
        {
            return answer with { Outcome = PartnerOutcome.NotFound, Label = "not_found", Cause = null };
        }

        return (row?.Meaning, txnStatus) switch
        {
            (CodeMeaning.ByStatus, _) => ByStatus(answer, txnStatus),
            (CodeMeaning.Rejected, "F") => answer with { Outcome = PartnerOutcome.NotExecuted, Label = "rejected", Cause = row.Cause },
            // A failed transaction under a code we cannot map (partners.md: PARTNER_UNKNOWN_CODE).
            (null, "F") => answer with { Outcome = PartnerOutcome.NotExecuted, Label = "rejected", Cause = Causes.PartnerUnknownCode },
            _ => answer with { Outcome = PartnerOutcome.Unknown, Label = "inquiry_failed", Cause = null },
        };
    }

    private static PartnerAnswer ByStatus(PartnerAnswer answer, string? txnStatus) => txnStatus switch
    {
        "S" => answer with { Outcome = PartnerOutcome.Succeeded, Label = "succeeded", Cause = null },
        "P" => answer with { Outcome = PartnerOutcome.Processing, Label = "processing", Cause = null },
        // F with 0000 breaks the spec's own rule: a decline without a usable reason.
        "F" => answer with { Outcome = PartnerOutcome.NotExecuted, Label = "rejected", Cause = Causes.PartnerUnspecified },
        _ => throw new PartnerMalformedResponseException($"ycb answered retCode 0000 with txnStatus '{PartnerText.Code(txnStatus)}'", answer.HttpStatus),
    };
}
