using LoadDriver.Runs;
using LoadDriver.Timeline;
using static Load.Tests.Reports.RunFixture;

namespace Load.Tests.Reports;

public sealed class RunTimelineTests
{
    private const string W = LoadRun.WarmupPhase;
    private const string S = LoadRun.SteadyPhase;

    [Fact]
    public void Build_BucketsRequestsByTheSecondTheyWereDue()
    {
        var result = Result(
            [
                Sent(W, 0, "a", 0.1, 20, 201),
                Sent(W, 1, "b", 0.6, 1_000, 503),
                Sent(W, 2, "c", 1.2, 30, 422),
                NotSent(S, 0, "d", 0.1),
                Sent(S, 1, "e", 0.5, 40, null),
            ],
            []);

        var timeline = RunTimeline.Build(result, null, []);

        Assert.Equal(3, timeline.Seconds.Count);
        var (first, second, third) = (timeline.Seconds[0], timeline.Seconds[1], timeline.Seconds[2]);
        Assert.Equal((2, 2, 1, 0, 1), (first.Due, first.Sent, first.Status2xx, first.Status4xx, first.Status5xx));
        Assert.Equal((1, 1), (second.Due, second.Status4xx));
        Assert.Equal(1, first.Answered);
        Assert.Equal(2, second.Answered); // b (0.6 s + 1 s) and c arrived in second 1
        Assert.Equal((2, 1, 1, 1), (third.Due, third.Sent, third.NotSent, third.NoAnswer));
        Assert.Equal(2.0, timeline.SteadyStartsAt);
        Assert.Equal(3.0, timeline.Length);
    }

    [Fact]
    public void Build_LatencyPercentilesOfOneSecond_NearestRankFromIntendedTime()
    {
        var submissions = Enumerable.Range(1, 100).Select(i => Sent(W, i, "k" + i, 0.001 * i, i, 201)).ToList();

        var latency = RunTimeline.Build(Result(submissions, []), null, []).Seconds.Single().Latency!;

        Assert.Equal(TimeSpan.FromMilliseconds(50), latency.P50);
        Assert.Equal(TimeSpan.FromMilliseconds(90), latency.P90);
        Assert.Equal(TimeSpan.FromMilliseconds(99), latency.P99);
        Assert.Equal(TimeSpan.FromMilliseconds(100), latency.Max);
    }

    [Fact]
    public void Build_OutcomesBySecondTheKeyWasFirstDue_FailuresByCause()
    {
        var result = Result(
            [Sent(W, 0, "a", 0.2, 10, 201), Sent(W, 1, "b", 0.4, 10, 201), Sent(W, 2, "c", 1.5, 10, 201), Sent(S, 0, "a", 0.1, 10, 200)],
            [Resolved("a", "succeeded"), Resolved("b", "failed", "partner_unavailable"), Resolved("c", "failed", null), Resolved("z", "succeeded")]);

        var timeline = RunTimeline.Build(result, null, []);

        var first = timeline.Seconds[0];
        Assert.Equal(1, first.Succeeded);
        Assert.Equal([new CauseCount("partner_unavailable", 1)], first.Failed);
        Assert.Equal([new CauseCount(RunTimeline.UnknownCause, 1)], timeline.Seconds[1].Failed);
        Assert.Equal(0, timeline.Seconds[2].Succeeded);
        Assert.Equal(["partner_unavailable", RunTimeline.UnknownCause], timeline.FailureCauses);
    }

    [Fact]
    public void Build_FaultWindows_AreSecondsSinceTheStart_AndStretchTheAxis()
    {
        var result = Result([Sent(W, 0, "a", 0.2, 10, 201)], []);

        var timeline = RunTimeline.Build(result, null, [new ShadedWindow("ycb down", Start.AddSeconds(3), Start.AddSeconds(5.5))]);

        Assert.Equal([new TimelineWindow("ycb down", 3, 5.5)], timeline.Windows);
        Assert.Equal(6, timeline.Length);
        Assert.Equal("breaker states were not sampled", timeline.BreakerNote);
    }

    [Fact]
    public void Build_BreakerSamples_HoldUntilTheNextPoll_AFailedPollIsAGap()
    {
        var record = new BreakerRecord(
            [
                new BreakerSample(Start, "ycb", "closed"),
                new BreakerSample(Start.AddSeconds(0.5), "ycb", "closed"),
                new BreakerSample(Start.AddSeconds(1), "ycb", "open"),
                new BreakerSample(Start.AddSeconds(2), "ycb", "closed"),
            ],
            [Start.AddSeconds(1.5)],
            TimeSpan.FromMilliseconds(500));

        var timeline = RunTimeline.Build(Result([Sent(W, 0, "a", 0.2, 10, 201)], []), record, []);

        Assert.Equal(
            [new BreakerSpan("ycb", "closed", 0, 1), new BreakerSpan("ycb", "open", 1, 1.5), new BreakerSpan("ycb", "closed", 2, 2.5)],
            timeline.Breakers);
        Assert.Equal(3, timeline.Length);
    }
}
