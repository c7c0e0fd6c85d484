using LoadDriver.Reports;
using LoadDriver.Runs;
using static Load.Tests.Reports.RunFixture;

namespace Load.Tests.Reports;

public sealed class RunSummaryTests
{
    private static readonly string[] Properties =
        ["\"runId\"", "\"startedAt\"", "\"target\"", "\"options\"", "\"achievedRate\"", "\"postLatencyMs\"", "\"outcomes\"", "\"checks\"", "\"thresholds\"", "\"correct\"", "\"verdict\"", "\"files\""];

    [Fact]
    public void Json_RoundTrips_CamelCase_InDeclarationOrder()
    {
        var result = Result(
            [Sent(LoadRun.WarmupPhase, 0, "a", 0.1, 20, 201), Sent(LoadRun.SteadyPhase, 0, "b", 0.2, 15, 201), Sent(LoadRun.SteadyPhase, 1, "c", 0.3, 25, 201)],
            [Resolved("a", "succeeded"), Resolved("b", "failed", "partner_unavailable"), Resolved("c", null)]);
        var thresholds = new RunThresholds(TimeSpan.FromMilliseconds(100), 90).Evaluate(result);

        var summary = RunSummary.From(result, "own deployment", thresholds, new SummaryFiles("x.md", "x.html", "x.json", ["x-post-latency.hgrm"]));
        var json = summary.ToJson();
        var back = RunSummary.Parse(json);

        Assert.Equal(json, back.ToJson());
        Assert.Equal("run-test", back.RunId);
        Assert.Equal(RunSummary.Fail, back.Verdict); // success 1 of 3 < 90 %
        Assert.Equal(2, back.PostLatencyMs.Count);
        Assert.Equal([new OutcomeCount("failed", "partner_unavailable", 1), new OutcomeCount("succeeded", null, 1), new OutcomeCount("unread", null, 1)],
            back.Outcomes);
        var order = Properties.Select(p => json.IndexOf(p, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }
}
