using System.Globalization;
using System.Text;
using LoadDriver.Reports.Svg;
using LoadDriver.Runs;
using LoadDriver.Timeline;
using static LoadDriver.Reports.Svg.Markup;

namespace LoadDriver.Reports;

/// <summary>
/// The report of a run for people: one self-contained HTML file (inline CSS and SVG, no script,
/// no external resource) with the verdict, what was measured, the checks and thresholds, and four
/// charts on one time axis (seconds since the start) with the fault windows shaded: throughput,
/// latency percentiles, final outcomes by cause, breaker states. Every text is HTML-escaped.
/// The markdown report (<see cref="LoadReport"/>) and its .hgrm stay as they are.
/// </summary>
public sealed class HtmlReport(
    LoadRunResult result,
    RunTimeline timeline,
    MachineInfo machine,
    string target,
    string? note,
    IReadOnlyList<ThresholdResult> thresholds,
    IReadOnlyList<string>? events = null)
{
    /// <summary>Colours of the failure causes, in the order of <see cref="RunTimeline.FailureCauses"/> (repeating).</summary>
    private static readonly string[] CauseColours = ["#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#ff7f0e", "#1f77b4"];

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1000px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 6px}
        .verdict{font-size:44px;font-weight:700;letter-spacing:2px;padding:4px 18px;display:inline-block;border-radius:6px;color:#fff}
        .pass{background:#2e8b3e}.fail{background:#c62828}
        table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#f3f3f3}td.num{text-align:right}.no{color:#c62828;font-weight:700}.yes{color:#2e8b3e}
        dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:14px}dt{font-weight:600}dd{margin:0}
        svg{display:block;margin:8px 0;border:1px solid #eee;background:#fff}
        svg .title{font-size:13px;font-weight:600}svg .small{font-size:10px;fill:#333}svg .fault-label{font-size:10px;fill:#a11}svg .message{font-size:13px;fill:#666}
        .note{font-size:12px;color:#555}
        .legend{font-size:12px;margin:-4px 0 14px}.legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
        """;

    public string Html()
    {
        var o = result.Options;
        var verdict = RunSummary.VerdictOf(result, thresholds);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine(Invariant($"<title>Load report {Escape(o.RunId)} — {verdict}</title>"));
        html.AppendLine("<style>" + Style + "</style></head><body>");
        html.AppendLine(Invariant($"<h1>Load report {Escape(o.RunId)}</h1>"));
        html.AppendLine(Invariant($"<p><span class=\"verdict {(verdict == RunSummary.Pass ? "pass" : "fail")}\">{verdict}</span></p>"));
        html.AppendLine("<dl>");
        Item(html, "Run id", o.RunId);
        Item(html, "When", Invariant($"{result.StartedAt:yyyy-MM-dd HH:mm:ss} UTC"));
        Item(html, "Machine", machine.ToString());
        if (note is not null)
        {
            Item(html, "Note", note);
        }

        Item(html, "Target", target);
        Item(html, "Load", Invariant($"open model, {o.Rate:0.##}/s for {o.Duration.TotalSeconds:0.#} s after a {o.Warmup.TotalSeconds:0.#} s warm-up; achieved {result.Steady.AchievedRate:0.0}/s; seed {o.Seed}"));
        Item(html, "Mix", o.Mix.ToString());
        var latency = result.Steady.Latency;
        Item(html, "Steady POST latency", Invariant($"p50 {Ms(latency.AtPercentile(50))}, p90 {Ms(latency.AtPercentile(90))}, p99 {Ms(latency.AtPercentile(99))}, max {Ms(latency.Max)} ({latency.Count} requests, from intended send time)"));
        Item(html, "Correctness", result.Correct ? "every check held" : "CORRECTNESS VIOLATED");
        html.AppendLine("</dl>");

        AppendThresholds(html);
        AppendChecks(html);
        AppendCharts(html);
        if (events is { Count: > 0 })
        {
            html.AppendLine("<h2>Fault timeline</h2><ul>");
            foreach (var line in events)
            {
                html.AppendLine("<li>" + Escape(line) + "</li>");
            }

            html.AppendLine("</ul>");
        }

        html.AppendLine("<p class=\"note\">Latency runs from each request's intended send time (no coordinated omission). Requests, answer classes and latency are bucketed by the second each request was due; \"answered\" by the second its answer arrived; outcomes by the second the payout's key was first due. The markdown report and the raw HdrHistogram distribution (.hgrm) are written beside this file.</p>");
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    /// <summary>Writes <c>&lt;name&gt;.html</c> into <paramref name="folder"/>; returns its path.</summary>
    public string Write(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.html");
        File.WriteAllText(path, Html());
        return path;
    }

    private void AppendThresholds(StringBuilder html)
    {
        html.AppendLine("<h2>Thresholds</h2>");
        if (thresholds.Count == 0)
        {
            html.AppendLine("<p>None given (<code>--max-p99</code>, <code>--min-success</code>).</p>");
            return;
        }

        html.AppendLine("<table><tr><th>threshold</th><th>limit</th><th>measured</th><th>held</th></tr>");
        foreach (var t in thresholds)
        {
            html.AppendLine(Invariant($"<tr><td>{Escape(t.Name)}</td><td>{Escape(t.Limit)}</td><td>{Escape(t.Actual)}</td><td class=\"{(t.Held ? "yes" : "no")}\">{(t.Held ? "yes" : "NO")}</td></tr>"));
        }

        html.AppendLine("</table>");
    }

    private void AppendChecks(StringBuilder html)
    {
        html.AppendLine("<h2>Correctness checks (partner ledger vs. API)</h2>");
        if (result.Policy.Allowance is { } allowance)
        {
            html.AppendLine("<p>Allowed by the fault: " + Escape(allowance) + "</p>");
        }

        html.AppendLine("<table><tr><th>check</th><th>passed</th><th>detail</th></tr>");
        foreach (var c in result.Checks)
        {
            var examples = c.Examples.Count == 0 ? "" : "<ul>" + string.Concat(c.Examples.Select(e => "<li>" + Escape(e) + "</li>")) + "</ul>";
            html.AppendLine(Invariant($"<tr><td>{Escape(c.Name)}</td><td class=\"{(c.Passed ? "yes" : "no")}\">{(c.Passed ? "pass" : "FAIL")}</td><td>{Escape(c.Detail)}{examples}</td></tr>"));
        }

        html.AppendLine("</table>");
    }

    private void AppendCharts(StringBuilder html)
    {
        var t = timeline;
        var seconds = t.Seconds;
        html.AppendLine("<h2>Over time</h2>");
        if (t.Windows.Count > 0)
        {
            html.AppendLine("<p class=\"note\">Shaded: " + Escape(string.Join("; ", t.Windows.Select(w => Invariant($"{w.Name} {w.From:0.0}–{w.To:0.0} s")))) + ".</p>");
        }

        var throughput = new TimeChart("Throughput", t.Length, seconds.Select(s => (double)Math.Max(s.Sent, s.Answered)).DefaultIfEmpty(1).Max(), "requests / s")
            .Line("sent/s (by due second)", "#1f77b4", seconds.Select(s => (s.Second, (double)s.Sent)))
            .Line("answered/s", "#2ca02c", seconds.Select(s => (s.Second, (double)s.Answered)));
        if (seconds.Any(s => s.NotSent + s.Status5xx + s.NoAnswer > 0))
        {
            throughput.Line("not sent, 5xx or no answer", "#d62728", seconds.Select(s => (s.Second, (double)(s.NotSent + s.Status5xx + s.NoAnswer))));
        }

        html.AppendLine(throughput.Render(t.Windows, t.SteadyStartsAt) + throughput.LegendHtml());

        var points = seconds.Where(s => s.Latency is not null).ToList();
        var maxMs = points.Select(s => s.Latency!.P99.TotalMilliseconds).DefaultIfEmpty(1).Max();
        var minMs = points.Select(s => s.Latency!.P50.TotalMilliseconds).Where(v => v > 0).DefaultIfEmpty(1).Min();
        var latency = new TimeChart("POST latency per second (from intended send time)", t.Length, maxMs, "ms (log scale)", log: true, yMin: minMs)
            .Line("p50", "#2ca02c", points.Select(s => (s.Second, s.Latency!.P50.TotalMilliseconds)))
            .Line("p90", "#ff7f0e", points.Select(s => (s.Second, s.Latency!.P90.TotalMilliseconds)))
            .Line("p99", "#d62728", points.Select(s => (s.Second, s.Latency!.P99.TotalMilliseconds)));
        html.AppendLine(latency.Render(t.Windows, t.SteadyStartsAt) + latency.LegendHtml());

        var colours = t.FailureCauses.Select((cause, i) => (cause, CauseColours[i % CauseColours.Length])).ToDictionary(p => p.cause, p => p.Item2);
        var outcomes = new TimeChart("Final outcomes of the payouts submitted in each second", t.Length,
            seconds.Select(s => (double)(s.Succeeded + s.FailedCount + s.NotFinal)).DefaultIfEmpty(1).Max(), "payouts")
            .Legend("succeeded", "#2ca02c");
        foreach (var (cause, colour) in colours)
        {
            outcomes.Legend("failed: " + cause, colour);
        }

        if (seconds.Any(s => s.NotFinal > 0))
        {
            outcomes.Legend("not final", "#bbbbbb");
        }

        foreach (var s in seconds)
        {
            outcomes.Stack(s.Second,
                [
                    (s.Succeeded, "#2ca02c", Invariant($"{s.Second} s: {s.Succeeded} succeeded")),
                    .. s.Failed.Select(f => ((double)f.Count, colours[f.Cause], Invariant($"{s.Second} s: {f.Count} failed ({f.Cause})"))),
                    (s.NotFinal, "#bbbbbb", Invariant($"{s.Second} s: {s.NotFinal} not final")),
                ]);
        }

        html.AppendLine(outcomes.Render(t.Windows, t.SteadyStartsAt) + outcomes.LegendHtml());

        var partners = t.Breakers.Select(b => b.Partner).Distinct().Order(StringComparer.Ordinal).ToList();
        var breakers = new TimeChart("Breaker state per partner (GET /v1/diagnostics/partners)", t.Length, 1, "partner",
                height: 70 + 26 * Math.Max(1, partners.Count))
            .Rows(partners)
            .Legend("closed", BreakerColour("closed")).Legend("half-open", BreakerColour("half_open")).Legend("open", BreakerColour("open"));
        foreach (var span in t.Breakers)
        {
            breakers.Band(partners.IndexOf(span.Partner), span.From, span.To, BreakerColour(span.State),
                Invariant($"{span.Partner}: {span.State} {span.From:0.0}–{span.To:0.0} s"));
        }

        if (partners.Count == 0)
        {
            breakers.Message(t.BreakerNote ?? "no breaker samples");
        }

        html.AppendLine(breakers.Render(t.Windows, t.SteadyStartsAt) + breakers.LegendHtml());
        if (t.BreakerNote is not null && partners.Count > 0)
        {
            html.AppendLine("<p class=\"note\">" + Escape(t.BreakerNote) + "</p>");
        }
    }

    private static string BreakerColour(string state) => state.Replace('-', '_') switch
    {
        "closed" => "#7cc47f",
        "half_open" => "#ffbf00",
        "open" => "#d62728",
        _ => "#999999",
    };

    private static void Item(StringBuilder html, string name, string value) =>
        html.AppendLine("<dt>" + Escape(name) + "</dt><dd>" + Escape(value) + "</dd>");

    private static string Ms(TimeSpan value) => Invariant($"{value.TotalMilliseconds:0.0} ms");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
