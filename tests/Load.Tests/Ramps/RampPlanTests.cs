using LoadDriver.Ramps;

namespace Load.Tests.Ramps;

/// <summary>The ramp's decisions from step figures alone: no processes, no clock.</summary>
public sealed class RampPlanTests
{
    private static readonly RampOptions Options = new()
    {
        StartRate = 20,
        Step = 20,
        StepDuration = TimeSpan.FromSeconds(10),
        MaxRate = 100,
        P99Threshold = TimeSpan.FromMilliseconds(50),
        LatePercent = 1,
        ErrorPercent = 1,
        MaxSteps = 10,
        MaxDuration = TimeSpan.FromSeconds(300),
    };

    [Fact]
    public void Next_NoStepYet_StartsAtTheStartRate()
    {
        var decision = new RampPlan(Options).Next([], TimeSpan.Zero);

        Assert.Equal(20, decision.NextRate);
        Assert.Null(decision.Stop);
    }

    [Fact]
    public void Next_StepHeld_AddsTheStep()
    {
        var decision = new RampPlan(Options).Next([Held(1, 20)], TimeSpan.FromSeconds(10));

        Assert.Equal(40, decision.NextRate);
    }

    [Fact]
    public void Next_WithFactor_MultipliesTheRate()
    {
        var decision = new RampPlan(Options with { Factor = 1.5 }).Next([Held(1, 20)], TimeSpan.FromSeconds(10));

        Assert.Equal(30, decision.NextRate);
    }

    [Fact]
    public void Next_StepWouldPassTheMaxRate_RunsTheMaxRateItself()
    {
        var decision = new RampPlan(Options with { Step = 30 }).Next([Held(1, 20), Held(2, 50), Held(3, 80)], TimeSpan.FromSeconds(30));

        Assert.Equal(100, decision.NextRate);
    }

    [Fact]
    public void Next_MaxRateHeld_StopsMaxRateReached()
    {
        var decision = new RampPlan(Options).Next([Held(1, 60), Held(2, 80), Held(3, 100)], TimeSpan.FromSeconds(30));

        Assert.Null(decision.NextRate);
        Assert.Equal(RampStop.MaxRateReached, decision.Stop);
    }

    [Fact]
    public void Next_P99AboveThreshold_StopsAndSaysWhich()
    {
        var plan = new RampPlan(Options);
        var broke = Held(2, 40) with { P99 = TimeSpan.FromMilliseconds(87.1) };

        var decision = plan.Next([Held(1, 20), broke], TimeSpan.FromSeconds(20));

        Assert.Equal(RampStop.ThresholdBroken, decision.Stop);
        Assert.Equal(RampThreshold.P99, plan.Broken(broke));
        Assert.Contains("p99 87.1 ms > 50 ms", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_P99ExactlyAtThreshold_Holds()
    {
        var step = Held(1, 20) with { P99 = TimeSpan.FromMilliseconds(50) };

        Assert.Equal(RampThreshold.None, new RampPlan(Options).Broken(step));
    }

    [Fact]
    public void Broken_NotSentInTimeAndUnansweredCountTogether()
    {
        var plan = new RampPlan(Options);
        // 200 planned: 1 not sent + 1 unanswered = 1 % (holds); one more breaks.
        var atLimit = Held(1, 20) with { NotSentInTime = 1, Unanswered = 1, Sent = 199 };
        var over = atLimit with { NotSentInTime = 2, Sent = 198 };

        Assert.Equal(RampThreshold.None, plan.Broken(atLimit));
        Assert.Equal(RampThreshold.NotSentInTime, plan.Broken(over));
        Assert.Contains("not sent in time 1.5 % > 1 %", plan.Describe(over, plan.Broken(over)), StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_ErrorsAndP99Together_BothNamed()
    {
        var plan = new RampPlan(Options);
        var step = Held(1, 20) with { Errors = 5, P99 = TimeSpan.FromMilliseconds(60) };

        var broken = plan.Broken(step);

        Assert.Equal(RampThreshold.P99 | RampThreshold.Errors, broken);
        Assert.Equal("p99 60.0 ms > 50 ms and errors 2.5 % > 1 %", plan.Describe(step, broken));
    }

    [Fact]
    public void Next_MaxStepsRun_Stops()
    {
        var plan = new RampPlan(Options with { MaxSteps = 2 });

        var decision = plan.Next([Held(1, 20), Held(2, 40)], TimeSpan.FromSeconds(20));

        Assert.Equal(RampStop.MaxStepsReached, decision.Stop);
    }

    [Fact]
    public void Next_StepWouldEndPastMaxDuration_Stops()
    {
        var plan = new RampPlan(Options with { MaxDuration = TimeSpan.FromSeconds(30) });

        Assert.Equal(60, plan.Next([Held(1, 20), Held(2, 40)], TimeSpan.FromSeconds(20)).NextRate);
        var decision = plan.Next([Held(1, 20), Held(2, 40)], TimeSpan.FromSeconds(20.5));

        Assert.Equal(RampStop.TimeBudgetSpent, decision.Stop);
        Assert.Null(decision.NextRate);
    }

    [Fact]
    public void Next_EveryRampEnds_WithinMaxSteps()
    {
        // Whatever the figures, a ramp whose steps all hold stops by MaxSteps or the max rate.
        var plan = new RampPlan(Options with { Step = 0.1, MaxRate = 10_000, MaxSteps = 7, MaxDuration = TimeSpan.FromDays(1) });
        var steps = new List<RampStep>();
        RampDecision decision;
        while ((decision = plan.Next(steps, TimeSpan.Zero)).NextRate is { } rate)
        {
            steps.Add(Held(steps.Count + 1, rate));
            Assert.True(steps.Count <= 7);
        }

        Assert.Equal(7, steps.Count);
        Assert.Equal(RampStop.MaxStepsReached, decision.Stop);
    }

    [Fact]
    public void Outcome_SustainableIsTheLastStepBeforeTheFirstBroken()
    {
        var plan = new RampPlan(Options);
        var steps = new List<RampStep> { Held(1, 20), Held(2, 40), Held(3, 60) with { NotSentInTime = 10, Sent = 190 } };

        var outcome = plan.Outcome(steps, plan.Next(steps, TimeSpan.FromSeconds(30)));

        Assert.Equal(40, outcome.Sustainable?.TargetRate);
        Assert.Equal(60, outcome.FirstBroken?.TargetRate);
        Assert.Equal(RampThreshold.NotSentInTime, outcome.BrokenThresholds);
        Assert.Equal(RampStop.ThresholdBroken, outcome.Stop.Stop);
    }

    [Fact]
    public void Outcome_FirstStepBroke_NoSustainableRate()
    {
        var plan = new RampPlan(Options);
        var steps = new List<RampStep> { Held(1, 20) with { P99 = TimeSpan.FromSeconds(1) } };

        var outcome = plan.Outcome(steps, plan.Next(steps, TimeSpan.FromSeconds(10)));

        Assert.Null(outcome.Sustainable);
        Assert.Equal(1, outcome.FirstBroken?.Number);
    }

    [Fact]
    public void Outcome_NoneBroke_SustainableIsTheLastAndNoneBroken()
    {
        var plan = new RampPlan(Options);
        var steps = new List<RampStep> { Held(1, 80), Held(2, 100) };

        var outcome = plan.Outcome(steps, plan.Next(steps, TimeSpan.FromSeconds(20)));

        Assert.Equal(100, outcome.Sustainable?.TargetRate);
        Assert.Null(outcome.FirstBroken);
        Assert.Equal(RampStop.MaxRateReached, outcome.Stop.Stop);
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(30, 20)]
    public void Plan_InvalidOptions_Refused(double startRate, double maxRate)
    {
        Assert.ThrowsAny<ArgumentException>(() => new RampPlan(Options with { StartRate = startRate, MaxRate = maxRate }));
    }

    [Fact]
    public void Plan_FactorNotAboveOne_Refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => new RampPlan(Options with { Factor = 1 }));
    }

    /// <summary>A step of 10 s at <paramref name="rate"/> that held every threshold (200 requests, all answered 2xx, p99 10 ms).</summary>
    private static RampStep Held(int number, double rate) => new(
        number, rate, rate, Planned: 200, Sent: 200, NotSentInTime: 0, Unanswered: 0, Errors: 0, NonSuccess: 0,
        TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(1500));
}
