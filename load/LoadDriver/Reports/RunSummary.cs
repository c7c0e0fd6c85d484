using System.Text.Encodings.Web;
using System.Text.Json;
using LoadDriver.Recording;
using LoadDriver.Runs;

namespace LoadDriver.Reports;

/// <summary>
/// The machine-readable summary of a run (<c>&lt;name&gt;.json</c> beside the markdown and HTML):
/// what was asked, what was achieved, the steady POST latency, the final outcomes, the checks,
/// the thresholds and the verdict. Properties serialize in declaration order (camelCase, indented).
/// </summary>
public sealed record RunSummary(
    string RunId,
    DateTimeOffset StartedAt,
    string Target,
    SummaryOptions Options,
    double AchievedRate,
    SummaryLatency PostLatencyMs,
    IReadOnlyList<OutcomeCount> Outcomes,
    IReadOnlyList<SummaryCheck> Checks,
    IReadOnlyList<ThresholdResult> Thresholds,
    bool Correct,
    string Verdict,
    SummaryFiles Files)
{
    public const string Pass = "PASS";
    public const string Fail = "FAIL";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>PASS when every correctness check and every threshold held.</summary>
    public static string VerdictOf(LoadRunResult result, IReadOnlyList<ThresholdResult> thresholds)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(thresholds);
        return result.Correct && thresholds.All(t => t.Held) ? Pass : Fail;
    }

    public static RunSummary From(LoadRunResult result, string target, IReadOnlyList<ThresholdResult> thresholds, SummaryFiles files)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var instances = result.Submissions.Count == 0 ? 1 : result.Submissions.Max(s => s.Instance) + 1;
        var outcomes = result.Payouts
            .GroupBy(p => (Status: p.Payout?.Status ?? "unread", Cause: p.Payout?.Status == "failed" ? p.Payout.FailureCause ?? "unknown" : null))
            .Select(g => new OutcomeCount(g.Key.Status, g.Key.Cause, g.Count()))
            .OrderBy(c => c.Status, StringComparer.Ordinal).ThenBy(c => c.Cause, StringComparer.Ordinal)
            .ToList();
        return new RunSummary(
            o.RunId,
            result.StartedAt,
            target,
            new SummaryOptions(o.Rate, o.Duration.TotalSeconds, o.Warmup.TotalSeconds, o.Mix.ToString(), instances, o.Seed),
            Math.Round(result.Steady.AchievedRate, 3),
            SummaryLatency.Of(result.Steady.Latency),
            outcomes,
            result.Checks.Select(c => new SummaryCheck(c.Name, c.Passed, c.Detail)).ToList(),
            thresholds,
            result.Correct,
            VerdictOf(result, thresholds),
            files);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunSummary Parse(string json) =>
        JsonSerializer.Deserialize<RunSummary>(json, Json) ?? throw new JsonException("The summary is null.");

    /// <summary>Writes <c>&lt;name&gt;.json</c> into <paramref name="folder"/>; returns its path.</summary>
    public string Write(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.json");
        File.WriteAllText(path, ToJson());
        return path;
    }
}

/// <summary>What the run was asked to do.</summary>
public sealed record SummaryOptions(double Rate, double DurationSeconds, double WarmupSeconds, string Mix, int Instances, int Seed);

/// <summary>Steady-phase POST latency from intended send time, milliseconds.</summary>
public sealed record SummaryLatency(long Count, double P50, double P90, double P99, double P999, double Max)
{
    public static SummaryLatency Of(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new SummaryLatency(histogram.Count, Ms(histogram.AtPercentile(50)), Ms(histogram.AtPercentile(90)), Ms(histogram.AtPercentile(99)),
            Ms(histogram.AtPercentile(99.9)), Ms(histogram.Max));
    }

    private static double Ms(TimeSpan value) => Math.Round(value.TotalMilliseconds, 3);
}

/// <summary>Final payouts with one status (succeeded, failed, processing, unread) and, for failed, one cause.</summary>
public sealed record OutcomeCount(string Status, string? Cause, int Count);

/// <summary>One correctness check.</summary>
public sealed record SummaryCheck(string Name, bool Passed, string Detail);

/// <summary>The files a run wrote, by name (in the same folder as the summary).</summary>
public sealed record SummaryFiles(string Markdown, string Html, string Json, IReadOnlyList<string> Histograms);
