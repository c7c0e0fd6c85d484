namespace LoadDriver.Timeline;

/// <summary>One partner's circuit state as <c>GET /v1/diagnostics/partners</c> showed it at <see cref="At"/>.</summary>
public sealed record BreakerSample(DateTimeOffset At, string Partner, string State);

/// <summary>
/// What a <see cref="BreakerSampler"/> saw: the samples, the polls that got no usable answer (a gap
/// on the chart), the polling interval, and a note for the report (why nothing was sampled, or what to know about the samples).
/// </summary>
public sealed record BreakerRecord(
    IReadOnlyList<BreakerSample> Samples,
    IReadOnlyList<DateTimeOffset> FailedPolls,
    TimeSpan Interval,
    string? Note = null)
{
    /// <summary>No sampler ran, for <paramref name="reason"/> (e.g. an external gateway without an on-call key).</summary>
    public static BreakerRecord NotSampled(string reason) => new([], [], BreakerSampler.DefaultInterval, reason);
}
