namespace Gateway.Storage;

/// <summary>
/// The payouts still <c>processing</c> at one moment, across every shard and configured client:
/// how many fall in each age bucket (<see cref="Buckets"/>, by creation time) and the oldest one's age.
/// </summary>
/// <param name="SampledAt">When the sample was read.</param>
/// <param name="ByAge">Counts in the order of <see cref="Buckets"/>.</param>
/// <param name="OldestAge">The oldest processing payout's age; zero when none is processing.</param>
public sealed record PayoutBacklog(DateTimeOffset SampledAt, IReadOnlyList<long> ByAge, TimeSpan OldestAge)
{
    /// <summary>Age buckets: label and the youngest age that falls in it, youngest bucket first.</summary>
    public static readonly IReadOnlyList<(string Label, TimeSpan From)> Buckets =
    [
        ("lt_1m", TimeSpan.Zero),
        ("1m_5m", TimeSpan.FromMinutes(1)),
        ("5m_30m", TimeSpan.FromMinutes(5)),
        ("gt_30m", TimeSpan.FromMinutes(30)),
    ];

    /// <summary>Before the first sample: nothing known, nothing reported as stuck.</summary>
    public static readonly PayoutBacklog Empty = new(DateTimeOffset.MinValue, [.. Buckets.Select(_ => 0L)], TimeSpan.Zero);

    public long Total => ByAge.Sum();
}
