using System.Globalization;

namespace LoadDriver.Ramps;

/// <summary>
/// The pure part of a ramp: which thresholds a step broke, the rate of the next step or why to
/// stop, and the saturation point of a finished ramp. No clock, no I/O.
/// </summary>
public sealed class RampPlan
{
    private readonly RampOptions _options;

    public RampPlan(RampOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The thresholds <paramref name="step"/> broke (<see cref="RampThreshold.None"/> when it held).</summary>
    public RampThreshold Broken(RampStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var broken = RampThreshold.None;
        if (step.P99 > _options.P99Threshold)
        {
            broken |= RampThreshold.P99;
        }

        if (step.LatePercent > _options.LatePercent)
        {
            broken |= RampThreshold.NotSentInTime;
        }

        if (step.ErrorPercent > _options.ErrorPercent)
        {
            broken |= RampThreshold.Errors;
        }

        return broken;
    }

    /// <summary>
    /// The next step, given the steps run so far and the time since the ramp started (the next
    /// step must end within the max duration).
    /// </summary>
    public RampDecision Next(IReadOnlyList<RampStep> done, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(done);
        double rate;
        string why;
        if (done.Count == 0)
        {
            rate = _options.StartRate;
            why = "first step";
        }
        else
        {
            var last = done[^1];
            var broken = Broken(last);
            if (broken != RampThreshold.None)
            {
                return RampDecision.Halt(RampStop.ThresholdBroken,
                    Invariant($"step {last.Number} at {last.TargetRate:0.##}/s broke {Describe(last, broken)}"));
            }

            if (last.TargetRate >= _options.MaxRate)
            {
                return RampDecision.Halt(RampStop.MaxRateReached,
                    Invariant($"step {last.Number} ran the max rate {_options.MaxRate:0.##}/s and held both thresholds"));
            }

            if (done.Count >= _options.MaxSteps)
            {
                return RampDecision.Halt(RampStop.MaxStepsReached,
                    Invariant($"{done.Count} steps run (the max), the last at {last.TargetRate:0.##}/s held"));
            }

            rate = Math.Min(_options.MaxRate, _options.Factor is { } factor ? last.TargetRate * factor : last.TargetRate + _options.Step);
            why = Invariant($"step {last.Number} at {last.TargetRate:0.##}/s held");
        }

        if (elapsed + _options.StepDuration > _options.MaxDuration)
        {
            return RampDecision.Halt(RampStop.TimeBudgetSpent,
                Invariant($"a step at {rate:0.##}/s would end {(elapsed + _options.StepDuration).TotalSeconds:0} s after the start, past the max duration {_options.MaxDuration.TotalSeconds:0} s"));
        }

        return RampDecision.Run(rate, why);
    }

    /// <summary>The saturation point of a finished ramp: the last step that held, the first that broke.</summary>
    public RampOutcome Outcome(IReadOnlyList<RampStep> steps, RampDecision stop)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(stop);
        var firstBroken = steps.FirstOrDefault(s => Broken(s) != RampThreshold.None);
        var held = steps.TakeWhile(s => !ReferenceEquals(s, firstBroken)).LastOrDefault();
        return new RampOutcome(held, firstBroken, firstBroken is null ? RampThreshold.None : Broken(firstBroken), stop);
    }

    /// <summary>The thresholds broken, with the step's figure against each, e.g. "p99 87.1 ms &gt; 50 ms".</summary>
    public string Describe(RampStep step, RampThreshold broken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var parts = new List<string>();
        if (broken.HasFlag(RampThreshold.P99))
        {
            parts.Add(Invariant($"p99 {step.P99.TotalMilliseconds:0.0} ms > {_options.P99Threshold.TotalMilliseconds:0.#} ms"));
        }

        if (broken.HasFlag(RampThreshold.NotSentInTime))
        {
            parts.Add(Invariant($"not sent in time {step.LatePercent:0.##} % > {_options.LatePercent:0.##} %"));
        }

        if (broken.HasFlag(RampThreshold.Errors))
        {
            parts.Add(Invariant($"errors {step.ErrorPercent:0.##} % > {_options.ErrorPercent:0.##} %"));
        }

        return string.Join(" and ", parts);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Where a ramp saturated: <see cref="Sustainable"/> is the last step that held every threshold
/// (null when the first step broke), <see cref="FirstBroken"/> the first that broke one (null when
/// none did), <see cref="BrokenThresholds"/> which, <see cref="Stop"/> why the ramp ended.
/// </summary>
public sealed record RampOutcome(RampStep? Sustainable, RampStep? FirstBroken, RampThreshold BrokenThresholds, RampDecision Stop);
