using System.Globalization;
using LoadDriver.Api;

namespace LoadDriver.Checks;

/// <summary>
/// The invariants of the gateway, checked against the partner's ledger (what really moved money)
/// and the API (what the gateway says): at most one execution per payout, every payout final,
/// the status agreeing with the ledger, repeated keys never making a second payout, and every
/// payout ending as its kind expects unless a declared fault explains it (<see cref="OutcomeVerdicts"/>).
/// </summary>
public static class CorrectnessChecks
{
    private const int MaxExamples = 5;

    public static IReadOnlyList<CheckResult> Evaluate(
        IReadOnlyList<ResolvedPayout> payouts,
        IReadOnlyDictionary<string, int> ledger,
        bool ledgerExclusive,
        CheckPolicy policy,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(policy);
        var known = payouts.Where(p => p.PayoutId is not null).ToList();
        int Executed(ResolvedPayout p) => ledger.GetValueOrDefault(p.PayoutId!);

        var results = new List<CheckResult>
        {
            Check("every sent key has a payout the API shows",
                payouts.Where(p => (p.PayoutId is null || p.Payout is null) && !policy.MissingPayoutExplained(p)),
                payouts.Count,
                p => $"{p.Key}: {(p.PayoutId is null ? "no id learned; answers " + Answers(p) : "payout " + p.PayoutId + " could not be read")}"),
            Check("no payout executed twice",
                ledger.Where(e => e.Value > 1),
                ledger.Count,
                e => $"{e.Key} executed {e.Value} times"),
        };

        var processing = known.Where(p => p.Payout is { IsFinal: false }).ToList();
        if (policy.RequireAllFinal)
        {
            results.Add(Check("every payout final", processing, known.Count,
                p => $"{p.PayoutId} still processing: {Reason(p, now)}"));
        }
        else
        {
            var stale = processing.Where(p => !IsActive(p, policy, now)).ToList();
            var check = Check("every payout final, or processing and still being resolved", stale, known.Count,
                p => $"{p.PayoutId} processing, abandoned: {Reason(p, now)}");
            results.Add(check with
            {
                Detail = check.Detail + (processing.Count > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"; {processing.Count - stale.Count} still processing legitimately: ")
                      + string.Join("; ", processing.Except(stale).Take(MaxExamples).Select(p => $"{p.PayoutId} {Reason(p, now)}"))
                    : ""),
            });
        }

        results.Add(Check("every succeeded payout executed exactly once",
            known.Where(p => p.Payout?.Status == "succeeded" && Executed(p) != 1),
            known.Count(p => p.Payout?.Status == "succeeded"),
            p => $"{p.PayoutId} succeeded, executed {Executed(p)} times"));
        results.Add(Check("every failed payout executed zero times",
            known.Where(p => p.Payout?.Status == "failed" && Executed(p) != 0),
            known.Count(p => p.Payout?.Status == "failed"),
            p => $"{p.PayoutId} failed ({p.Payout?.FailureCause}), executed {Executed(p)} times"));
        results.Add(OutcomeVerdicts.Check(payouts, policy.FaultWindows));
        if (ledgerExclusive)
        {
            var ids = known.Select(p => p.PayoutId!).ToHashSet(StringComparer.Ordinal);
            results.Add(Check("no execution of a reference the API does not know",
                ledger.Keys.Where(reference => !ids.Contains(reference)),
                ledger.Count,
                reference => $"{reference} executed, not a payout of this run"));
        }

        var repeated = payouts.Where(p => p.Answers.Count + p.DrainRetries.Count > 1).ToList();
        results.Add(Check("every repeated key: at most one 201, the others 200 replay or 409",
            repeated.Where(p => !RepeatsAreSound(p, policy)),
            repeated.Count,
            p => $"{p.Key}: {Answers(p)}"));

        var answers = payouts.SelectMany(p => p.AllAnswers).ToList();
        results.Add(Check(policy.Allowance is null ? "no 5xx answers" : "no 5xx answers the fault does not explain",
            answers.Where(a => a.IsServerError && !policy.ServerErrorExplained(a)),
            answers.Count,
            a => string.Create(CultureInfo.InvariantCulture, $"{a.HttpStatus} {a.ProblemSlug ?? "-"} at {a.AnsweredAt:HH:mm:ss.fff}")));
        return results;
    }

    private static bool RepeatsAreSound(ResolvedPayout payout, CheckPolicy policy)
    {
        var all = payout.AllAnswers.ToList();
        if (all.Count(a => a.HttpStatus == 201) > 1)
        {
            return false;
        }

        // The 201 (if any) created the payout; every other answer must not have. A request without
        // an HTTP answer created nothing the client saw; the drain resubmitted its key.
        var created = all.FirstOrDefault(a => a.HttpStatus == 201);
        return all.Where(a => !ReferenceEquals(a, created)).All(a =>
            (a.HttpStatus == 200 && a.Replayed) || a.HttpStatus == 409 || a.HttpStatus is null || policy.RepeatAnswerExplained(a));
    }

    private static bool IsActive(ResolvedPayout payout, CheckPolicy policy, DateTimeOffset now) =>
        payout.Payout?.LastAttemptAt is { } at && now - at <= policy.ActiveWithin;

    private static string Reason(ResolvedPayout payout, DateTimeOffset now)
    {
        var view = payout.Payout!;
        return view.LastAttemptAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"{view.Attempts} attempt(s), the last '{view.LastAttemptOutcome}' {(now - at).TotalSeconds:0.0} s ago")
            : "no attempt recorded yet";
    }

    private static string Answers(ResolvedPayout payout) =>
        string.Join(", ", payout.AllAnswers.Select(a => a.HttpStatus is null ? $"({a.TransportError})" : $"{a.HttpStatus}{(a.Replayed ? " replay" : "")}{(a.ProblemSlug is { } s ? " " + s : "")}"));

    private static CheckResult Check<T>(string name, IEnumerable<T> violations, int examined, Func<T, string> describe)
    {
        var list = violations.ToList();
        var detail = list.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"held for {examined}")
            : string.Create(CultureInfo.InvariantCulture, $"{list.Count} of {examined} violate it");
        return new CheckResult(name, list.Count == 0, detail, list.Take(MaxExamples).Select(describe).ToList());
    }
}
