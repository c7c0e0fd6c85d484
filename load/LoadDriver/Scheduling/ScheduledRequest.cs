namespace LoadDriver.Scheduling;

/// <summary>What became of one scheduled request.</summary>
public enum RequestFate
{
    /// <summary>Sent, and the send finished (whatever the answer was).</summary>
    Completed,

    /// <summary>Due while <see cref="ScheduleOptions.MaxInFlight"/> requests were in flight: never sent.</summary>
    NotSentInTime,

    /// <summary>Sent, but still without an answer when the drain timeout ran out (then cancelled).</summary>
    Unfinished,
}

/// <summary>
/// One request of a phase. Times are offsets from the phase start on the scheduler's clock.
/// <see cref="Latency"/> runs from <see cref="Intended"/>, not from <see cref="Sent"/>: a request
/// the driver sent late is charged for the lateness (no coordinated omission).
/// </summary>
public sealed record ScheduledRequest<T>(
    int Index,
    RequestFate Fate,
    TimeSpan Intended,
    TimeSpan? Sent,
    TimeSpan? Finished,
    T? Result)
{
    /// <summary>How late the driver sent it.</summary>
    public TimeSpan? SendLag => Sent - Intended;

    /// <summary>From the intended send time to the end of the answer.</summary>
    public TimeSpan? Latency => Finished - Intended;
}
