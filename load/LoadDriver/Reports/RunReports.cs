using LoadDriver.Runs;
using LoadDriver.Timeline;

namespace LoadDriver.Reports;

/// <summary>
/// Writes every report of a load run side by side: <c>&lt;name&gt;.md</c> and
/// <c>&lt;name&gt;-post-latency.hgrm</c> (<see cref="LoadReport"/>), <c>&lt;name&gt;.html</c>
/// (<see cref="HtmlReport"/>) and <c>&lt;name&gt;.json</c> (<see cref="RunSummary"/>), after
/// evaluating the thresholds. The load suite and the chaos suite both call <see cref="Write"/>.
/// </summary>
public static class RunReports
{
    public static WrittenReports Write(string folder, string name, LoadRunResult result, MachineInfo machine, string target, string? note,
        RunThresholds thresholds, BreakerRecord? breakers, IReadOnlyList<ShadedWindow> windows, IReadOnlyList<string>? events = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(thresholds);
        var held = thresholds.Evaluate(result);
        var markdown = new LoadReport(result, machine, target, note).Write(folder, name);
        var timeline = RunTimeline.Build(result, breakers, windows);
        var html = new HtmlReport(result, timeline, machine, target, note, held, events).Write(folder, name);
        var files = new SummaryFiles(Path.GetFileName(markdown), Path.GetFileName(html), $"{name}.json", [$"{name}-post-latency.hgrm"]);
        var summary = RunSummary.From(result, target, held, files);
        var json = summary.Write(folder, name);
        return new WrittenReports(markdown, html, json, summary.Verdict, held);
    }
}

/// <summary>The paths a run's reports were written to, its verdict (PASS or FAIL) and the thresholds' results.</summary>
public sealed record WrittenReports(string Markdown, string Html, string Json, string Verdict, IReadOnlyList<ThresholdResult> Thresholds)
{
    public bool Passed => Verdict == RunSummary.Pass;
}
