using System.Diagnostics;
using Gateway.Core;

namespace Gateway.Diagnosis;

/// <summary>What happened, as the payout flow saw it, for <see cref="Diagnoser"/> to explain.</summary>
public sealed record FailureFacts(string Partner, PartnerAnswer Answer, int Attempts, long ElapsedMs, string Circuit);

/// <summary>
/// Turns a failed outcome into the one diagnosis the payout carries. It never throws: a cause
/// the catalogue lacks becomes <c>PARTNER_UNKNOWN_CODE</c>, keeping the raw code in evidence.
/// </summary>
public sealed class Diagnoser(CauseCatalogue catalogue, ILogger<Diagnoser> log)
{
    public Failure Diagnose(FailureFacts facts)
    {
        // The adapters scrub what partners write; scrubbing again here (idempotent) keeps the
        // diagnosis, its log event and /ops safe from any answer built elsewhere.
        var answer = facts.Answer with
        {
            PartnerCode = PartnerText.Code(facts.Answer.PartnerCode),
            PartnerMessage = PartnerText.Message(facts.Answer.PartnerMessage),
            ResolvedBy = facts.Answer.ResolvedBy is { } inquiry
                ? inquiry with { PartnerCode = PartnerText.Code(inquiry.PartnerCode), PartnerMessage = PartnerText.Message(inquiry.PartnerMessage), ResolvedBy = null }
                : null,
        };
        var name = answer.Cause is { } c && catalogue.Contains(c) ? c : Causes.PartnerUnknownCode;
        var cause = catalogue[name];
        var failure = new Failure
        {
            Category = cause.Category,
            Cause = cause.Name,
            Owner = cause.Owner,
            Resubmit = cause.Resubmit,
            // The partner's own ISO reason when it gave one, else the cause's nearest ISO code.
            IsoReason = answer.IsoReason ?? (cause.IsoReasons.Count > 0 ? cause.IsoReasons[0] : null),
            Summary = Summarise(facts with { Answer = answer }, cause),
            BorrowerMessage = cause.BorrowerMessage,
            Evidence = new Evidence
            {
                Partner = facts.Partner,
                PartnerCode = answer.PartnerCode,
                PartnerMessage = answer.PartnerMessage,
                HttpStatus = answer.HttpStatus,
                Attempts = facts.Attempts,
                ElapsedMs = facts.ElapsedMs,
                Circuit = facts.Circuit,
                TraceId = Activity.Current?.TraceId.ToString(),
                Inquiry = answer.ResolvedBy?.Label,
                InquiryCode = answer.ResolvedBy?.PartnerCode,
            },
        };
        return failure;
    }

    /// <summary>One structured event per diagnosis, so a log query finds every ACCOUNT_FROZEN of the day.</summary>
    public void Record(PayoutRecord payout) =>
        DiagnosisLog.Diagnosed(log, payout.Id, payout.Partner, payout.Failure!.Cause, payout.Failure.Category,
            payout.Failure.Owner, payout.Failure.Resubmit, payout.Failure.Evidence.PartnerCode, payout.Failure.Summary);

    /// <summary>
    /// What happened, drawn only from the evidence: the partner's last answer (its code and
    /// message, or the transport outcome) and, when the outcome was unknown, what the status
    /// inquiry then proved. The cause's meaning is quoted only where the evidence is that
    /// meaning (a mapped rejection code, a refused connection); an unknown outcome resolved by
    /// inquiry is never described as something it was not (a 9999 is not "connection refused").
    /// </summary>
    private static string Summarise(FailureFacts facts, FailureCause cause)
    {
        var answer = facts.Answer;
        if (answer.ResolvedBy is { } inquiry)
        {
            return $"{SendText(facts.Partner, answer)}, so the outcome was unknown; {InquiryText(facts.Partner, inquiry)}: " +
                $"nothing was executed ({cause.Name}, after {facts.Attempts} call(s) in {facts.ElapsedMs} ms).";
        }

        var meaning = cause.Meaning.TrimEnd('.');
        if (answer.PartnerCode is { } code)
        {
            var message = answer.PartnerMessage is { Length: > 0 } m ? $" ({m})" : "";
            return $"{facts.Partner} answered {code}{message}: {meaning}.";
        }

        var http = answer.HttpStatus is { } s ? $" HTTP {s}," : "";
        return $"{facts.Partner}: {answer.Label.Replace('_', ' ')},{http} after {facts.Attempts} call(s) in {facts.ElapsedMs} ms (circuit {facts.Circuit}): {meaning}.";
    }

    /// <summary>The send's answer as the evidence has it: "ycb answered 9999 (系统异常) with HTTP 200", "ycb: timeout".</summary>
    private static string SendText(string partner, PartnerAnswer send)
    {
        var http = send.HttpStatus is { } s ? $" with HTTP {s}" : "";
        if (send.PartnerCode is { } code)
        {
            var message = send.PartnerMessage is { Length: > 0 } m ? $" ({m})" : "";
            var kind = send.Label switch
            {
                "unavailable" => "a partner server error",
                "unknown_code" => "a code the gateway has no mapping for",
                "unknown" => "a partner system error",
                var label => label.Replace('_', ' '),
            };
            return $"{partner} answered {code}{message}{http} to the disbursement: {kind}";
        }

        return $"{partner} gave no usable answer to the disbursement ({send.Label.Replace('_', ' ')}{http})";
    }

    /// <summary>What the resolving inquiry answered: "a status inquiry then answered 1404 (not found) ..., proving ycb never received it".</summary>
    private static string InquiryText(string partner, PartnerAnswer inquiry)
    {
        var code = inquiry.PartnerCode is { } c ? $" {c}" : "";
        return inquiry.Outcome == PartnerOutcome.NotFound
            ? $"a status inquiry then answered{code} (not found) past the partner's grace, proving {partner} never received it"
            : $"a status inquiry then answered{code} ({inquiry.Label.Replace('_', ' ')})";
    }
}

internal static partial class DiagnosisLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Payout {PayoutId} failed at {Partner}: {Cause} ({Category}), owner {Owner}, {Resubmit}; partner code {PartnerCode}. {Summary}")]
    public static partial void Diagnosed(ILogger logger, string payoutId, string partner, string cause, string category,
        string owner, string resubmit, string? partnerCode, string summary);
}
