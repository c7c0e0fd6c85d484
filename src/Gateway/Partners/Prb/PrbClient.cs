using Gateway.Diagnosis;
using Gateway.Core;

namespace Gateway.Partners.Prb;

/// <summary>
/// The prb adapter: the payout id is the <c>endToEndId</c> of every attempt (each attempt has its
/// own <c>msgId</c>); pain.002 answers are read by <c>txSts</c>, rejections by their ISO reason
/// (Diagnosis/iso-reasons.json) or proprietary code (prb-codes.json).
/// </summary>
public sealed class PrbClient(IPrbApi api, PartnerWire wire, IsoReasonTable isoReasons) : IPartnerClient
{
    private static readonly string[] Settled = ["ACSC", "ACCC"];
    private static readonly string[] Pending = ["ACTC", "ACCP", "ACSP", "PDNG"];

    public string Name => PrbOptions.Name;

    public async Task<PartnerAnswer> DisburseAsync(DisbursementOrder order, CancellationToken cancellationToken)
    {
        var transfer = new PrbCreditTransfer(
            $"{order.Reference}-{Guid.NewGuid():N}"[..Math.Min(64, order.Reference.Length + 33)],
            order.Reference,
            new PrbAmount(order.Currency, Money.Format(order.Amount)),
            new PrbParty(order.Beneficiary.Name),
            new PrbAccount(order.Beneficiary.AccountNumber),
            new PrbAgent(order.Beneficiary.BankCode),
            order.Remark);
        return ReadTransfer(await PartnerWire.ReceiveAsync(api.TransferAsync(transfer, cancellationToken), cancellationToken));
    }

    public async Task<PartnerAnswer> InquireAsync(string reference, CancellationToken cancellationToken)
    {
        var response = await PartnerWire.ReceiveAsync(api.StatusAsync(reference, cancellationToken), cancellationToken);
        var http = response.Http;
        if (http == 404)
        {
            return new PartnerAnswer { Outcome = PartnerOutcome.NotFound, Label = "not_found", HttpStatus = http, PartnerCode = "404" };
        }

        if (http != 200)
        {
            // The inquiry failed; it says nothing about the payout.
            return new PartnerAnswer { Outcome = PartnerOutcome.Unknown, Label = "inquiry_failed", HttpStatus = http, PartnerCode = $"HTTP{http}" };
        }

        return ByStatus(wire.Parse<PrbStatusReport>(response), http, inquiry: true);
    }

    private PartnerAnswer ReadTransfer(WireResponse response)
    {
        var http = response.Http;
        switch (http)
        {
            case 200:
                return ByStatus(wire.Parse<PrbStatusReport>(response), http, inquiry: false);
            case 409:
                return FromRow("HTTP409", http, wire.Parse<PrbStatusReport>(response).StsRsnInf?.Rsn?.Cd ?? "DUPL", null);
            case 400:
                var error = wire.Parse<PrbError>(response);
                return FromRow("HTTP400", http, error.Error ?? "HTTP400", error.Detail);
            case 401:
                return FromRow("HTTP401", http, "HTTP401", null);
            case 429:
                return FromRow("HTTP429", http, "HTTP429", null, wire.RetryAfter(response));
            case 503 when PartnerWire.TryParse<PrbError>(response.Body) is { Error: "MAINTENANCE" } maintenance:
                return FromRow("MAINTENANCE", http, "MAINTENANCE", maintenance.Detail) with { RetryAfter = wire.RetryAfter(response) };
            case >= 500:
                return FromRow("HTTP5XX", http, $"HTTP{http}", null);
            default:
                // An answer the spec does not describe: it may hide an execution; inquire.
                return PartnerWire.Unmapped(http, $"HTTP{http}");
        }
    }

    /// <summary>One row of prb-codes.json as an answer.</summary>
    private PartnerAnswer FromRow(string key, int http, string partnerCode, string? message, TimeSpan? retryAfter = null) =>
        wire.ByCode(PartnerWire.Unmapped(http, partnerCode, message), key, retryAfter);

    private PartnerAnswer ByStatus(PrbStatusReport report, int http, bool inquiry)
    {
        var answer = new PartnerAnswer
        {
            Outcome = PartnerOutcome.Unknown, Label = "unknown", HttpStatus = http,
            PartnerStatus = PartnerText.Code(report.TxSts), PartnerReference = PartnerText.Reference(report.AcctSvcrRef),
        };
        if (report.TxSts is { } settled && Settled.Contains(settled))
        {
            return answer with { Outcome = PartnerOutcome.Succeeded, Label = "succeeded" };
        }

        if (report.TxSts is { } pending && Pending.Contains(pending))
        {
            return answer with { Outcome = PartnerOutcome.Processing, Label = "processing" };
        }

        if (report.TxSts != "RJCT")
        {
            throw new PartnerMalformedResponseException($"prb answered txSts '{PartnerText.Code(report.TxSts)}'", http);
        }

        var reason = report.StsRsnInf?.Rsn;
        var message = PartnerText.Message(report.StsRsnInf?.AddtlInf);
        if (reason?.Cd is { } cd)
        {
            var iso = isoReasons.Find(cd);
            var rejected = answer with
            {
                Outcome = PartnerOutcome.NotExecuted, Label = "rejected", PartnerCode = PartnerText.Code(cd),
                PartnerMessage = message ?? iso?.Meaning, IsoReason = iso?.Code, Cause = iso?.Cause ?? Causes.PartnerUnknownCode,
            };
            // A duplicate reason when sending means the bank holds our reference: inquire and adopt (rule 2).
            return !inquiry && iso?.Cause == Causes.DuplicatePayout
                ? rejected with { Outcome = PartnerOutcome.Duplicate, Label = "duplicate", Cause = null }
                : rejected;
        }

        if (reason?.Prtry is { } prtry)
        {
            var row = wire.Codes.Find(prtry);
            return answer with
            {
                Outcome = PartnerOutcome.NotExecuted, Label = "rejected", PartnerCode = PartnerText.Code(prtry), PartnerMessage = message,
                Cause = row?.Meaning == CodeMeaning.Rejected ? row.Cause : Causes.PartnerUnknownCode,
            };
        }

        return answer with { Outcome = PartnerOutcome.NotExecuted, Label = "rejected", PartnerMessage = message, Cause = Causes.PartnerUnspecified };
    }
}
