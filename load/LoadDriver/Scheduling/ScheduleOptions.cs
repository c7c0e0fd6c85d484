namespace LoadDriver.Scheduling;

/// <summary>One open-model phase: <see cref="Count"/> requests, request i due at start + i / rate.</summary>
public sealed record ScheduleOptions
{
    /// <summary>The hard limit on requests in one phase, whatever rate × duration says.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>Arrivals per second; the arrival rate does not depend on how fast answers come.</summary>
    public required double RatePerSecond { get; init; }

    /// <summary>How many requests the phase fires (0 to <see cref="MaxCount"/>).</summary>
    public required int Count { get; init; }

    /// <summary>
    /// Requests allowed in flight at once. A request due while the cap is reached is not sent at
    /// all and counted as "not sent in time": it is never sent late.
    /// </summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>How long, after the last request is due, the phase waits for answers still in flight.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Asked when each request is due, before it is sent: true ends the phase early (no further request is sent, those
    /// in flight are awaited, and the result holds only the requests dealt with). Null: every request is sent.
    /// </summary>
    public Func<bool>? StopWhen { get; init; }

    /// <summary>Requests for <paramref name="duration"/> at <paramref name="rate"/>, capped at <paramref name="maxRequests"/>.</summary>
    public static int CountFor(double rate, TimeSpan duration, int maxRequests) =>
        (int)Math.Min(Math.Min(Math.Floor(rate * duration.TotalSeconds), maxRequests), MaxCount);

    public void Validate()
    {
        if (!double.IsFinite(RatePerSecond) || RatePerSecond <= 0 || RatePerSecond > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(RatePerSecond), RatePerSecond, "The rate must be above 0 and at most 100000 per second.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(DrainTimeout, TimeSpan.Zero);
    }
}
