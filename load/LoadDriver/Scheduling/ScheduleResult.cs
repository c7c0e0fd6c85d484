using LoadDriver.Recording;

namespace LoadDriver.Scheduling;

/// <summary>A finished phase: every request dealt with, in index order (all of them unless it was stopped early), and the latency histograms.</summary>
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

    /// <summary>
    /// Requests sent per second: sent / (the last send's offset + one interval), at least the
    /// scheduled length (count / rate). Equal to the target when every request went out on time;
    /// lower when requests were not sent or the driver fell behind.
    /// </summary>
    public double AchievedRate
    {
        get
        {
            var interval = 1 / Options.RatePerSecond;
            var lastSent = Requests.Max(r => r.Sent)?.TotalSeconds ?? 0;
            var span = Math.Max(lastSent + interval, Requests.Count * interval);
            return Requests.Count == 0 ? 0 : Sent / span;
        }
    }
}
