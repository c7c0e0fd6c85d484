using LoadDriver.Recording;

namespace LoadDriver.Scheduling;

/// <summary>A finished phase: every request in index order, and the latency histograms.</summary>
public sealed record ScheduleResult<T>(
    ScheduleOptions Options,
    IReadOnlyList<ScheduledRequest<T>> Requests,
    LatencyHistogram Latency,
    LatencyHistogram SendLag,
    TimeSpan Elapsed)
{
    public int Sent => Requests.Count(r => r.Fate != RequestFate.NotSentInTime);

    public int NotSentInTime => Requests.Count(r => r.Fate == RequestFate.NotSentInTime);

    public int Unfinished => Requests.Count(r => r.Fate == RequestFate.Unfinished);

    /// <summary>Requests actually sent per second of the phase's schedule (count / (count / rate)).</summary>
    public double AchievedRate
    {
        get
        {
            var scheduled = Options.Count / Options.RatePerSecond;
            return scheduled <= 0 ? 0 : Sent / scheduled;
        }
    }
}
