using System.Text.RegularExpressions;
using System.Xml.Linq;
using LoadDriver.Checks;
using LoadDriver.Reports;
using LoadDriver.Runs;
using LoadDriver.Timeline;
using static Load.Tests.Reports.RunFixture;

namespace Load.Tests.Reports;

public sealed partial class HtmlReportTests
{
    private static readonly MachineInfo Machine = new(2, "test cpu", "linux", ".NET 10", "X64");

    [Fact]
    public void Html_OneWellFormedSvgPerChart_FaultWindowShaded_VerdictShown()
    {
        var html = Report(correct: true, thresholds: [new ThresholdResult("steady POST p99", "≤ 100 ms", "12.0 ms", true)]).Html();

        var svgs = SvgPattern().Matches(html).Select(m => XElement.Parse(m.Value)).ToList();
        Assert.Equal(4, svgs.Count);
        Assert.All(svgs.Take(3), svg => Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "rect" && (string?)e.Attribute("class") == "fault"));
        Assert.Contains(">ycb down</text>", html, StringComparison.Ordinal);
        Assert.Contains(">PASS</span>", html, StringComparison.Ordinal);
        Assert.Contains("steady POST p99", html, StringComparison.Ordinal);
        Assert.Contains(">ycb</text>", html, StringComparison.Ordinal); // the breaker band's row
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EscapesNotesChecksAndEvents()
    {
        var html = Report(correct: false, thresholds: [], note: "<script>alert(1)</script>", events: ["<b>fault</b> & more"]).Html();

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;fault&lt;/b&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("po_&lt;x&gt;", html, StringComparison.Ordinal);
        Assert.Contains(">FAIL</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_BrokenThreshold_FailsTheVerdict_AndSaysWhy()
    {
        var html = Report(correct: true, thresholds: [new ThresholdResult("success rate", "≥ 99 %", "50 % (1 of 2)", false)]).Html();

        Assert.Contains(">FAIL</span>", html, StringComparison.Ordinal);
        Assert.Contains("50 % (1 of 2)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_NoBreakerSamples_SaysWhy()
    {
        var result = Run(true);
        var timeline = RunTimeline.Build(result, BreakerRecord.NotSampled("no on-call key for --target"), []);

        var html = new HtmlReport(result, timeline, Machine, "t", null, []).Html();

        Assert.Contains("no on-call key for --target", html, StringComparison.Ordinal);
        Assert.Equal(4, SvgPattern().Count(html));
    }

    private static HtmlReport Report(bool correct, IReadOnlyList<ThresholdResult> thresholds, string? note = null, IReadOnlyList<string>? events = null)
    {
        var result = Run(correct);
        var breakers = new BreakerRecord([new BreakerSample(Start, "ycb", "closed"), new BreakerSample(Start.AddSeconds(1), "ycb", "open")], [],
            TimeSpan.FromMilliseconds(500));
        var timeline = RunTimeline.Build(result, breakers, [new ShadedWindow("ycb down", Start.AddSeconds(1), Start.AddSeconds(2))]);
        return new HtmlReport(result, timeline, Machine, "own deployment", note, thresholds, events);
    }

    private static LoadRunResult Run(bool correct) => Result(
        [Sent(LoadRun.WarmupPhase, 0, "a", 0.1, 20, 201), Sent(LoadRun.WarmupPhase, 1, "b", 1.1, 300, 201), Sent(LoadRun.SteadyPhase, 0, "c", 0.2, 15, 201)],
        [Resolved("a", "succeeded"), Resolved("b", "failed", "partner_unavailable"), Resolved("c", "succeeded")],
        [new CheckResult("no payout executed twice", correct, "3 payouts <checked>", correct ? [] : ["po_<x> executed 2 times"])]);

    [GeneratedRegex("<svg.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgPattern();
}
