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
            },
        };
        return failure;
    }

    /// <summary>One structured event per diagnosis, so a log query finds every ACCOUNT_FROZEN of the day.</summary>
    public void Record(PayoutRecord payout) =>
        DiagnosisLog.Diagnosed(log, payout.Id, payout.Partner, payout.Failure!.Cause, payout.Failure.Category,
            payout.Failure.Owner, payout.Failure.Resubmit, payout.Failure.Evidence.PartnerCode, payout.Failure.Summary);

    private static string Summarise(FailureFacts facts, FailureCause cause)
    {
        var meaning = cause.Meaning.TrimEnd('.');
        var answer = facts.Answer;
        if (answer.PartnerCode is { } code)
        {
            var message = answer.PartnerMessage is { Length: > 0 } m ? $" ({m})" : "";
            return $"{facts.Partner} answered {code}{message}: {meaning}.";
        }

        var http = answer.HttpStatus is { } s ? $" HTTP {s}," : "";
        return $"{facts.Partner}: {answer.Label.Replace('_', ' ')},{http} after {facts.Attempts} call(s) in {facts.ElapsedMs} ms (circuit {facts.Circuit}): {meaning}.";
    }
}

internal static partial class DiagnosisLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Payout {PayoutId} failed at {Partner}: {Cause} ({Category}), owner {Owner}, {Resubmit}; partner code {PartnerCode}. {Summary}")]
    public static partial void Diagnosed(ILogger logger, string payoutId, string partner, string cause, string category,
        string owner, string resubmit, string? partnerCode, string summary);
}
