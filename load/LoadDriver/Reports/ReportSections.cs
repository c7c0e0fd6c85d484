using System.Globalization;
using System.Text;
using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Recording;
using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace LoadDriver.Reports;

/// <summary>The sections a load report and a ramp report share: the answers, the final statuses and the correctness table.</summary>
internal static class ReportSections
{
    /// <summary>The POST answers per column (phases selected by name), then the drain's resubmissions; the final status per kind; the failure causes.</summary>
    public static void AppendAnswers(StringBuilder md, IReadOnlyList<Submission> submissions, IReadOnlyList<ResolvedPayout> payouts,
        IReadOnlyList<(string Column, Func<string, bool> Phase)> columns)
    {
        md.AppendLine("## Answers");
        md.AppendLine();
        md.AppendLine("| POST answers | " + string.Join(" | ", columns.Select(c => c.Column)) + " | drain resubmissions |");
        md.AppendLine("|---|" + string.Concat(columns.Select(_ => "---:|")) + "---:|");
        var perColumn = columns.Select(c => Answers(submissions.Where(s => c.Phase(s.Payout.Phase)))).ToList();
        var retries = payouts.SelectMany(p => p.DrainRetries).Select(Label).ToList();
        foreach (var label in perColumn.SelectMany(l => l).Concat(retries).Distinct().Order(StringComparer.Ordinal))
        {
            md.AppendLine("| " + label + " | " + string.Join(" | ", perColumn.Select(l => Count(l, label))) + " | " + Count(retries, label) + " |");
        }

        md.AppendLine();
        md.AppendLine("| final payout status by kind (@ partner named; none: routed) | expected | as expected | succeeded | failed | processing | unread |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var group in payouts.GroupBy(p => p.Label ?? p.Kind.ToString().ToLowerInvariant()).OrderBy(g => g.First().Kind).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var expected = string.Join(" / ", group.Select(p => p.Expected.Status + (p.Expected.Partner is { } at ? " at " + at : "")).Distinct().Order(StringComparer.Ordinal));
            md.AppendLine(Invariant($"| {group.Key} | {expected} | {group.Count(p => p.EndedAsExpected)} | {group.Count(p => p.Payout?.Status == "succeeded")} | {group.Count(p => p.Payout?.Status == "failed")} | {group.Count(p => p.Payout?.Status == "processing")} | {group.Count(p => p.Payout is null)} |"));
        }

        md.AppendLine();
        md.AppendLine("| final payouts by partner | succeeded | failed | processing |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var group in payouts.Where(p => p.Payout is not null).GroupBy(p => p.Payout!.Partner ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            md.AppendLine(Invariant($"| {group.Key} | {group.Count(p => p.Payout!.Status == "succeeded")} | {group.Count(p => p.Payout!.Status == "failed")} | {group.Count(p => p.Payout!.Status == "processing")} |"));
        }

        var causes = payouts.Where(p => p.Payout?.FailureCause is not null).GroupBy(p => p.Payout!.FailureCause!).OrderByDescending(g => g.Count()).ToList();
        if (causes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Failure causes: " + string.Join(", ", causes.Select(g => Invariant($"{g.Key} {g.Count()}"))) + ".");
        }

        md.AppendLine();
    }

    /// <summary>With several gateway instances: the requests per instance and where the duplicates went.</summary>
    public static void AppendInstances(StringBuilder md, IReadOnlyList<Submission> submissions)
    {
        var spread = InstanceSpread.From(submissions);
        if (spread.Shares.Count < 2)
        {
            return;
        }

        md.AppendLine("## Gateway instances");
        md.AppendLine();
        md.AppendLine("Requests go round-robin over the instances (by index in the phase); a duplicate goes to another instance than its original.");
        md.AppendLine();
        md.AppendLine("| instance | requests routed | sent | answered | 5xx |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var share in spread.Shares)
        {
            md.AppendLine(Invariant($"| {share.Instance + 1} | {share.Routed} | {share.Sent} | {share.Answered} | {share.ServerErrors} |"));
        }

        md.AppendLine();
        md.AppendLine(Invariant($"Duplicates: {spread.Duplicates}; sent to another instance than their original: {spread.DuplicatesOnOtherInstance}, of which {spread.DuplicatesConcurrentOnOtherInstance} while the original was still unanswered (concurrent submissions of one key on two instances)."));
        md.AppendLine();
    }

    /// <summary>The correctness table, its examples and the verdict.</summary>
    public static void AppendCorrectness(StringBuilder md, IReadOnlyList<CheckResult> checks, CheckPolicy policy)
    {
        md.AppendLine("## Correctness (partner ledger vs. API)");
        md.AppendLine();
        if (policy.Allowance is not null)
        {
            md.AppendLine("Allowed by the fault: " + policy.Allowance);
            md.AppendLine();
        }

        md.AppendLine("| check | verdict | detail |");
        md.AppendLine("|---|---|---|");
        foreach (var check in checks)
        {
            md.AppendLine("| " + check.Name + " | " + (check.Passed ? "pass" : "**FAIL**") + " | " + check.Detail + " |");
        }

        foreach (var check in checks.Where(c => c.Examples.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(check.Name + ":");
            foreach (var example in check.Examples)
            {
                md.AppendLine("- " + example);
            }
        }

        md.AppendLine();
    }

    /// <summary>Time-to-final (intended submit → <c>completedAt</c>) per kind, and the classification accuracy of the known causes.</summary>
    public static void AppendOutcomes(StringBuilder md, IReadOnlyList<ResolvedPayout> payouts, CheckPolicy policy)
    {
        md.AppendLine("## Outcomes: time to final, diagnosis");
        md.AppendLine();
        md.AppendLine("| time to final (intended submit → completedAt) | count | p50 | p99 | max |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        md.AppendLine(TimeToFinalRow("all", payouts));
        foreach (var group in payouts.GroupBy(p => p.Kind).OrderBy(g => g.Key))
        {
            md.AppendLine(TimeToFinalRow(group.Key.ToString().ToLowerInvariant(), group));
        }

        var accuracy = OutcomeVerdicts.Accuracy(payouts, policy.FaultWindows);
        md.AppendLine();
        md.AppendLine("Classification accuracy (payouts whose cause the run knows: the rejects' magic causes, the declared faults' causes; share diagnosed with it): " + accuracy + ".");
        foreach (var example in accuracy.Misdiagnosed)
        {
            md.AppendLine("- " + example);
        }

        if (policy.FaultWindows.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Declared faults: " + string.Join("; ", policy.FaultWindows) + ".");
        }

        md.AppendLine();
    }

    public static string Ms(TimeSpan value) => Invariant($"{value.TotalMilliseconds:0.0} ms");

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Count(List<string> labels, string label) =>
        labels.Count(l => l == label).ToString(CultureInfo.InvariantCulture);

    private static List<string> Answers(IEnumerable<Submission> submissions) =>
        submissions.Select(s => s.Request.Fate switch
        {
            RequestFate.NotSentInTime => "not sent in time",
            RequestFate.Unfinished => "unanswered at drain",
            _ => Label(s.Answer!),
        }).ToList();

    private static string Label(SubmitAnswer answer) => answer.HttpStatus switch
    {
        null => $"no answer ({answer.TransportError})",
        200 or 201 => Invariant($"{answer.HttpStatus}{(answer.Replayed ? " replay" : "")} {answer.PayoutStatus}"),
        _ => Invariant($"{answer.HttpStatus} {answer.ProblemSlug}"),
    };

    private static string TimeToFinalRow(string name, IEnumerable<ResolvedPayout> payouts)
    {
        var histogram = new LatencyHistogram();
        foreach (var took in payouts.Select(p => p.TimeToFinal).OfType<TimeSpan>())
        {
            histogram.Record(took);
        }

        return Invariant($"| {name} | {histogram.Count} | {Ms(histogram.AtPercentile(50))} | {Ms(histogram.AtPercentile(99))} | {Ms(histogram.Max)} |");
    }
}
