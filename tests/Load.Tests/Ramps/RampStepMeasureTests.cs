using LoadDriver.Api;
using LoadDriver.Payouts;
using LoadDriver.Ramps;
using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace Load.Tests.Ramps;

/// <summary>A step's figures from hand-made requests: no processes, no clock.</summary>
public sealed class RampStepMeasureTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_CountsFatesAndErrors_AndLeavesSlowOutOfThePercentiles()
    {
        var plan = new PayoutPlanner("measure", PayoutMix.Parse("ordinary=1"), 1).Plan("ramp-01", 8);
        var submissions = new List<Submission>
        {
            Answered(plan[0], PayoutKind.Ordinary, 10, 201),
            Answered(plan[1], PayoutKind.Ordinary, 20, 201),
            Answered(plan[2], PayoutKind.Slow, 1500, 201),
            Answered(plan[3], PayoutKind.Duplicate, 5, 409),
            Answered(plan[4], PayoutKind.Ordinary, 30, 429),
            Answered(plan[5], PayoutKind.Ordinary, 40, null),
            new(plan[6], new ScheduledRequest<SubmitAnswer>(6, RequestFate.NotSentInTime, TimeSpan.Zero, null, null, null)),
            new(plan[7], new ScheduledRequest<SubmitAnswer>(7, RequestFate.Unfinished, TimeSpan.Zero, TimeSpan.Zero, null, null)),
        };

        var step = RampStepMeasure.From(3, 40, 39.5, submissions);

        Assert.Equal(3, step.Number);
        Assert.Equal(8, step.Planned);
        Assert.Equal(7, step.Sent);
        Assert.Equal(1, step.NotSentInTime);
        Assert.Equal(1, step.Unanswered);
        Assert.Equal(2, step.Errors); // the 429 and the one without an HTTP answer
        Assert.Equal(3, step.NonSuccess); // and the 409
        Assert.Equal(25, step.LatePercent);
        Assert.Equal(100.0 * 2 / 7, step.ErrorPercent, 6);
        Assert.InRange(step.P99.TotalMilliseconds, 39.9, 40.1); // the slow payout's 1.5 s is left out
        Assert.InRange(step.P99AllKinds.TotalMilliseconds, 1499, 1501);
    }

    private static Submission Answered(PlannedPayout payout, PayoutKind kind, double milliseconds, int? status) =>
        new(payout with { Kind = kind }, new ScheduledRequest<SubmitAnswer>(payout.Index, RequestFate.Completed, TimeSpan.Zero, TimeSpan.Zero,
            TimeSpan.FromMilliseconds(milliseconds),
            new SubmitAnswer(status, null, null, false, null, null, status is null ? "timeout" : null, At, At)));
}
