using System.Text;
using LoadDriver.Ramps;
using LoadDriver.Runs;
using static LoadDriver.Reports.ReportSections;

namespace LoadDriver.Reports;

/// <summary>
/// The report of a ramp, in markdown: how it was measured, one row per step, the saturation point
/// (the last step that held every threshold, the first that broke one and which), then the same
/// answers and correctness sections as a load run. Figures only describe; the verdict is the checks'.
/// </summary>
public sealed class RampReport(RampRunResult result, MachineInfo machine, string target, string? note)
{
    public string Markdown()
    {
        var o = result.Options;
        var load = o.Load;
        var plan = new RampPlan(o);
        var outcome = result.Outcome;
        var md = new StringBuilder();
        md.AppendLine(Invariant($"# Ramp report {load.RunId}"));
        md.AppendLine();
        md.AppendLine("## How it was measured");
        md.AppendLine();
        md.AppendLine(Invariant($"- When: {result.StartedAt:yyyy-MM-dd HH:mm:ss} UTC"));
        md.AppendLine(Invariant($"- Machine: {machine}{(note is null ? "" : $"; {note}")}"));
        md.AppendLine(Invariant($"- Target: {target}"));
        var growth = o.Factor is { } factor ? Invariant($"× {factor:0.##}") : Invariant($"+ {o.Step:0.##}/s");
        md.AppendLine(Invariant($"- Ramp: steps of {o.StepDuration.TotalSeconds:0.#} s, each an open-model constant-rate phase with fresh payouts, from {o.StartRate:0.##}/s, {growth} after each step that held, up to {o.MaxRate:0.##}/s; at most {o.MaxSteps} steps, none starting unless it ends within {o.MaxDuration.TotalSeconds:0} s of the start; at most {load.MaxRequests} requests and {load.MaxInFlight} in flight per step (a request due beyond that is counted \"not sent in time\", never sent late)."));
        md.AppendLine(Invariant($"- Thresholds, per step: p99 ≤ {o.P99Threshold.TotalMilliseconds:0.#} ms (from intended send time, every kind but slow); not sent in time or unanswered ≤ {o.LatePercent:0.##} % of the step's requests; no answer, 5xx or 429 ≤ {o.ErrorPercent:0.##} % of those sent. A step above any one breaks; the ramp stops there."));
        md.AppendLine("- Latency clock: from each request's **intended** send time to the end of its answer (no coordinated omission), in an HdrHistogram (3 significant digits). p50/p99/p99.9 below leave out the slow kind, which waits out the partner's 1.5 s attempt timeout by design; \"p99 all kinds\" includes it.");
        md.AppendLine(Invariant($"- Warm-up {load.Warmup.TotalSeconds:0.#} s at {o.StartRate:0.##}/s ({result.Warmup.Options.Count} requests, not in the figures, checked for correctness); mix {load.Mix}; seed {load.Seed}."));
        md.AppendLine(Invariant($"- Ramp took {result.RampTook.TotalSeconds:0.0} s; then one drain until every payout of every step is final (at most {load.ResolveTimeout.TotalSeconds:0} s): took {result.DrainTook.TotalSeconds:0.0} s."));
        md.AppendLine();

        md.AppendLine("## Saturation point");
        md.AppendLine();
        md.AppendLine(outcome.Sustainable is { } held
            ? Invariant($"- **Sustainable rate: {held.TargetRate:0.##}/s** (step {held.Number}: achieved {held.AchievedRate:0.0}/s, p99 {Ms(held.P99)}, not sent in time {held.LatePercent:0.##} %, errors {held.ErrorPercent:0.##} %) — the last step that held every threshold.")
            : "- **Sustainable rate: none** — the first step already broke a threshold; start lower.");
        md.AppendLine(outcome.FirstBroken is { } broke
            ? Invariant($"- **First broken: {broke.TargetRate:0.##}/s** (step {broke.Number}): {plan.Describe(broke, outcome.BrokenThresholds)}.")
            : "- **First broken: none** — no step broke a threshold; the saturation point is above the last rate run.");
        md.AppendLine(Invariant($"- Stopped: {outcome.Stop.Reason}."));
        md.AppendLine();

        md.AppendLine("## Steps");
        md.AppendLine();
        md.AppendLine("| step | target rate | achieved rate | requests | p50 | p99 | p99.9 | p99 all kinds | not sent in time | unanswered | errors / non-2xx | held |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in result.Steps)
        {
            var broken = plan.Broken(s);
            md.AppendLine(Invariant($"| {s.Number} | {s.TargetRate:0.##}/s | {s.AchievedRate:0.0}/s | {s.Planned} | {Ms(s.P50)} | {Ms(s.P99)} | {Ms(s.P999)} | {Ms(s.P99AllKinds)} | {s.NotSentInTime} ({s.NotSentInTime * 100.0 / Math.Max(1, s.Planned):0.##} %) | {s.Unanswered} | {s.Errors} / {s.NonSuccess} | {(broken == Ramps.RampThreshold.None ? "yes" : "**no**: " + plan.Describe(s, broken))} |"));
        }

        md.AppendLine();
        md.AppendLine("Achieved rate = requests sent / (time of the last send + one interval). Errors = no HTTP answer, 5xx or 429 (load shed); non-2xx also counts 409 idempotency-key-in-use, the expected answer to a duplicate whose original is still in progress. A p99 (p99.9) rests on at least 100 (1000) latencies; in a shorter step it is the step's maximum.");
        md.AppendLine();

        AppendAnswers(md, result.Submissions, result.Payouts,
            [("warm-up", phase => phase == LoadRun.WarmupPhase), ("ramp steps", phase => phase != LoadRun.WarmupPhase)]);
        AppendInstances(md, result.Submissions);
        AppendCorrectness(md, result.Checks, result.Policy);
        md.AppendLine(result.Correct ? "**Verdict: correct.**" : "**Verdict: CORRECTNESS VIOLATED.**");
        return md.ToString();
    }

    /// <summary>
    /// Writes <c>&lt;name&gt;.md</c> into <paramref name="folder"/>, and beside it the raw HdrHistogram
    /// distribution (every kind) of the sustainable step and of the first broken step; returns the markdown path.
    /// </summary>
    public string Write(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var markdown = new StringBuilder(Markdown());
        foreach (var (label, step) in new[] { ("sustainable", result.Outcome.Sustainable), ("first-broken", result.Outcome.FirstBroken) })
        {
            if (step is null)
            {
                continue;
            }

            var file = $"{name}-{label}-post-latency.hgrm";
            using (var writer = new StreamWriter(Path.Combine(folder, file)))
            {
                result.StepPhases[step.Number - 1].Latency.WriteDistribution(writer);
            }

            markdown.AppendLine(Invariant($"Raw HdrHistogram percentile distribution of POST latency (every kind, milliseconds) of step {step.Number} ({label}): `{file}`."));
        }

        var path = Path.Combine(folder, $"{name}.md");
        File.WriteAllText(path, markdown.ToString());
        return path;
    }
}
