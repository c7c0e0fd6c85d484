using LoadDriver.Runs;

namespace LoadDriver.Ramps;

/// <summary>
/// A ramp: open-model constant-rate steps of <see cref="StepDuration"/>, each faster than the one
/// before (by <see cref="Step"/>, or by <see cref="Factor"/> when set), until a step breaks a
/// threshold, <see cref="MaxRate"/> has been run, <see cref="MaxSteps"/> steps have run, or the next
/// step would end after <see cref="MaxDuration"/>.
/// </summary>
public sealed record RampOptions
{
    /// <summary>The hard limit on steps, whatever <see cref="MaxSteps"/> says.</summary>
    public const int StepLimit = 200;

    /// <summary>The first step's rate (and the warm-up's), arrivals per second. Default 25.</summary>
    public double StartRate { get; init; } = 25;

    /// <summary>Added to the rate after each step that held. Default 25/s. Ignored when <see cref="Factor"/> is set.</summary>
    public double Step { get; init; } = 25;

    /// <summary>When set (above 1), the rate is multiplied by it after each step that held, instead of adding <see cref="Step"/>.</summary>
    public double? Factor { get; init; }

    /// <summary>Length of one step. Default 10 s.</summary>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The last rate tried: the step that would pass it runs at it instead. Default 1000/s.</summary>
    public double MaxRate { get; init; } = 1000;

    /// <summary>
    /// A step breaks when the p99 POST latency, from intended send time, of its payouts other than
    /// the slow kind (which waits out the partner attempt timeout by design) is above this. Default 50 ms.
    /// </summary>
    public TimeSpan P99Threshold { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A step breaks when more than this share (percent) of its requests were not sent in time or never answered. Default 1 %.</summary>
    public double LatePercent { get; init; } = 1;

    /// <summary>A step breaks when more than this share (percent) of its sent requests got no answer, a 5xx or a 429 (load shed). Default 1 %.</summary>
    public double ErrorPercent { get; init; } = 1;

    /// <summary>At most this many steps. Default 40.</summary>
    public int MaxSteps { get; init; } = 40;

    /// <summary>No step starts unless its arrivals end within this much of the ramp's start (warm-up included). Default 600 s.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// Everything else, as for a load run: warm-up (at <see cref="StartRate"/>), mix, seed,
    /// requests per step (<see cref="LoadOptions.MaxRequests"/>), in-flight cap, drains. Its
    /// Rate and Duration are not used.
    /// </summary>
    public LoadOptions Load { get; init; } = new();

    public void Validate()
    {
        static void Positive(double value, string name, double max)
        {
            if (!double.IsFinite(value) || value <= 0 || value > max)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be above 0 and at most {max}.");
            }
        }

        Positive(StartRate, nameof(StartRate), 10_000);
        Positive(MaxRate, nameof(MaxRate), 10_000);
        Positive(Step, nameof(Step), 10_000);
        if (Factor is { } factor && (!double.IsFinite(factor) || factor <= 1 || factor > 10))
        {
            throw new ArgumentOutOfRangeException(nameof(Factor), factor, "The factor must be above 1 and at most 10.");
        }

        if (MaxRate < StartRate)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRate), MaxRate, "The max rate must be at least the start rate.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(StepDuration, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(P99Threshold, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(LatePercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(LatePercent, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(ErrorPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ErrorPercent, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSteps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxSteps, StepLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDuration, StepDuration);
    }
}
