using System.Globalization;
using System.Text;
using ChaosSuite.Scenarios;
using LoadDriver.Runs;

namespace ChaosSuite;

/// <summary>One line of the per-scenario verdict table.</summary>
internal sealed record VerdictRow(string Scenario, string Mix, string Answers, string Final, string Latency, string Accuracy, string Recovery, string Verdict, bool? Passed)
{
    public static VerdictRow Pending(IChaosScenario scenario, string reason) =>
        new(scenario.Name, "-", "-", "-", "-", "-", "-", "pending: " + reason, null);

    /// <summary>The row of a finished run with <paramref name="mix"/> (<see cref="ScenarioMix"/>): the correctness checks and <paramref name="parts"/> (<see cref="ChaosVerdict.Judge"/>) must all hold.</summary>
    public static VerdictRow From(IChaosScenario scenario, LoadRunResult result, IReadOnlyList<VerdictPart> parts, string mix)
    {
        var answers = result.Submissions.Where(s => s.Answer is not null)
            .Select(s => s.Answer!.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none")
            .Concat(result.Payouts.SelectMany(p => p.DrainRetries).Select(a => (a.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none") + "(drain)"))
            .GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}×{g.Count()}"));
        var final = result.Payouts.GroupBy(p => p.Payout?.Status ?? "unread").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}"));
        var failed = result.Checks.Where(c => !c.Passed).Select(c => c.Name).Concat(parts.Where(p => !p.Held).Select(p => p.Name)).ToList();
        return new VerdictRow(
            scenario.Name,
            mix,
            string.Join(" ", answers),
            string.Join(", ", final),
            string.Create(CultureInfo.InvariantCulture,
                $"{result.Steady.Latency.AtPercentile(50).TotalMilliseconds:0} / {result.Steady.Latency.AtPercentile(99).TotalMilliseconds:0} / {result.Steady.Latency.Max.TotalMilliseconds:0} ms"),
            (parts.Count > 0 ? parts[0].Detail : "-") + (parts.Count > 0 && !parts[0].Held ? " FAIL" : ""),
            (parts.Count > 1 ? parts[1].Detail : "-") + (parts.Count > 1 && !parts[1].Held ? " FAIL" : ""),
            failed.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", failed),
            failed.Count == 0);
    }

    public static string Table(IReadOnlyList<VerdictRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | mix | POST answers (HTTP status × count) | final payouts | POST p50 / p99 / max | accuracy | recovery | verdict |");
        text.AppendLine("|---|---|---|---|---:|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine("| " + row.Scenario + " | " + row.Mix + " | " + row.Answers + " | " + row.Final + " | " + row.Latency + " | " + row.Accuracy + " | " + row.Recovery + " | " + row.Verdict + " |");
        }

        return text.ToString();
    }
}
