namespace LoadDriver.Ramps;

/// <summary>Why a ramp stopped.</summary>
public enum RampStop
{
    /// <summary>A step broke a threshold: the saturation point is found.</summary>
    ThresholdBroken,

    /// <summary>The max rate ran and held: the saturation point is above it.</summary>
    MaxRateReached,

    /// <summary>The step count ran out before any step broke a threshold.</summary>
    MaxStepsReached,

    /// <summary>The next step would end after the ramp's max duration.</summary>
    TimeBudgetSpent,
}

/// <summary>A threshold a step can break.</summary>
[Flags]
public enum RampThreshold
{
    None = 0,

    /// <summary>p99 latency (from intended send time, slow kind excluded) above the threshold.</summary>
    P99 = 1,

    /// <summary>Too many requests not sent in time (or never answered).</summary>
    NotSentInTime = 2,

    /// <summary>Too many answers that are no answer, a 5xx or a 429.</summary>
    Errors = 4,
}

/// <summary>What the ramp does next: run a step at <see cref="NextRate"/>, or stop (<see cref="Stop"/>), and why.</summary>
public sealed record RampDecision(double? NextRate, RampStop? Stop, string Reason)
{
    public bool Continues => NextRate is not null;

    public static RampDecision Run(double rate, string reason) => new(rate, null, reason);

    public static RampDecision Halt(RampStop stop, string reason) => new(null, stop, reason);
}
