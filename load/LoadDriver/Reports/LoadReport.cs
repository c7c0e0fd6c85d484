using System.Globalization;
using System.Text;
using LoadDriver.Payouts;
using LoadDriver.Recording;
using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace LoadDriver.Reports;

/// <summary>
/// The report of a run, in markdown (printed and written), with the raw HdrHistogram percentile
/// distribution of POST latency beside it. Figures only describe; the verdict is the checks'.
/// </summary>
public sealed class LoadReport(LoadRunResult result, MachineInfo machine, string target, string? note)
{
    public static readonly double[] Percentiles = [50, 90, 99, 99.9];

    /// <summary>POST latency of the steady phase, from each request's intended send time.</summary>
    public LatencyHistogram PostLatency => result.Steady.Latency;

    public string Markdown()
    {
        var o = result.Options;
        var steady = result.Steady;
        var md = new StringBuilder();
        md.AppendLine(Invariant($"# Load report {o.RunId}"));
        md.AppendLine();
        md.AppendLine("## How it was measured");
        md.AppendLine();
        md.AppendLine(Invariant($"- When: {result.StartedAt:yyyy-MM-dd HH:mm:ss} UTC"));
        md.AppendLine(Invariant($"- Machine: {machine}{(note is null ? "" : $"; {note}")}"));
        md.AppendLine(Invariant($"- Target: {target}"));
        md.AppendLine(Invariant($"- Open model: constant arrival rate {o.Rate:0.##}/s; request i is due at start + i/{o.Rate:0.##} s and is sent then, whether or not earlier ones have answered; at most {o.MaxInFlight} in flight, a request due beyond that is counted \"not sent in time\" and never sent late."));
        md.AppendLine("- Latency clock: from each request's **intended** send time to the end of its answer, so any lateness of the driver is charged to the request (no coordinated omission). Recorded in microseconds in an HdrHistogram (3 significant digits).");
        md.AppendLine(Invariant($"- Phases: warm-up {o.Warmup.TotalSeconds:0.#} s ({result.Warmup.Options.Count} requests, not in the latency figures, checked for correctness), steady {o.Duration.TotalSeconds:0.#} s ({steady.Options.Count} requests){AfterFault(result)}; mix {o.Mix}; seed {o.Seed}."));
        md.AppendLine(Invariant($"- Drain: until every payout is final (at most {o.ResolveTimeout.TotalSeconds:0} s): took {result.DrainTook.TotalSeconds:0.0} s."));
        md.AppendLine();

        md.AppendLine("## Throughput (steady phase)");
        md.AppendLine();
        md.AppendLine("| target rate | achieved rate | sent | not sent in time | unanswered at drain | driver send lag p50 / p99 / max |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(Invariant($"| {o.Rate:0.0}/s | {steady.AchievedRate:0.0}/s | {steady.Sent} | {steady.NotSentInTime} | {steady.Unfinished} | {Ms(steady.SendLag.AtPercentile(50))} / {Ms(steady.SendLag.AtPercentile(99))} / {Ms(steady.SendLag.Max)} |"));
        md.AppendLine();
        md.AppendLine("Achieved rate = requests sent / (time of the last send + one interval), at least the scheduled length (count / rate). Send lag = how late the driver sent, already inside the latency figures.");
        md.AppendLine();

        md.AppendLine("## POST /v1/payouts latency (steady phase, from intended send time)");
        md.AppendLine();
        md.AppendLine("| payouts | count | p50 | p90 | p99 | p99.9 | max |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(Row("all", steady.Latency));
        foreach (var kind in Enum.GetValues<PayoutKind>())
        {
            var histogram = new LatencyHistogram();
            foreach (var s in result.SteadySubmissions.Where(s => s.Payout.Kind == kind && s.Request.Latency is not null))
            {
                histogram.Record(s.Request.Latency!.Value);
            }

            if (histogram.Count > 0)
            {
                md.AppendLine(Row(kind.ToString().ToLowerInvariant(), histogram));
            }
        }

        md.AppendLine();
        md.AppendLine("Slow payouts wait out the partner attempt timeout and then an inquiry, by design; drop payouts are resolved by an immediate inquiry; duplicates are answered from Redis. \"all\" includes every kind.");
        md.AppendLine();

        // The after-fault phase (a chaos run whose fault ended late) gets a column of its own when it ran.
        ReportSections.AppendAnswers(md, result.Submissions, result.Payouts,
        [
            ("warm-up", phase => phase == LoadRun.WarmupPhase), ("steady", phase => phase == LoadRun.SteadyPhase),
            .. result.Submissions.Any(s => s.Payout.Phase == LoadRun.AfterFaultPhase)
                ? [("after fault", phase => phase == LoadRun.AfterFaultPhase)] : Array.Empty<(string, Func<string, bool>)>(),
        ]);
        ReportSections.AppendOutcomes(md, result.Payouts, result.Policy);
        ReportSections.AppendInstances(md, result.Submissions);
        ReportSections.AppendCorrectness(md, result.Checks, result.Policy);
        md.AppendLine(result.Correct ? "**Verdict: correct.**" : "**Verdict: CORRECTNESS VIOLATED.**");
        return md.ToString();
    }

    private static string AfterFault(LoadRunResult result)
    {
        var count = result.Submissions.Count(s => s.Payout.Phase == LoadRun.AfterFaultPhase);
        return count == 0 ? "" : Invariant($", then an after-fault phase of {count} requests (the outcomes had not yet shown recovery from the fault; not in the latency figures, checked, and judged for recovery)");
    }

    /// <summary>Writes <c>load-&lt;time&gt;.md</c> and <c>load-&lt;time&gt;-post-latency.hgrm</c> into <paramref name="folder"/>; returns the markdown path.</summary>
    public string Write(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var histogramFile = $"{name}-post-latency.hgrm";
        var markdown = Markdown() + Environment.NewLine
            + $"Raw HdrHistogram percentile distribution of steady-phase POST latency (milliseconds): `{histogramFile}`." + Environment.NewLine;
        var path = Path.Combine(folder, $"{name}.md");
        File.WriteAllText(path, markdown);
        using var writer = new StreamWriter(Path.Combine(folder, histogramFile));
        PostLatency.WriteDistribution(writer);
        return path;
    }

    private static string Row(string name, LatencyHistogram histogram) =>
        Invariant($"| {name} | {histogram.Count} | ") + string.Join(" | ", Percentiles.Select(p => Ms(histogram.AtPercentile(p)))) + $" | {Ms(histogram.Max)} |";

    private static string Ms(TimeSpan value) => Invariant($"{value.TotalMilliseconds:0.0} ms");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
