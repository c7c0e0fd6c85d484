using System.Globalization;
using HdrHistogram;

namespace LoadDriver.Recording;

/// <summary>
/// Latencies in microseconds in an HdrHistogram <see cref="LongHistogram"/> (1 µs to 1 h, three
/// significant digits). Recording is thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    private static readonly long Highest = (long)TimeSpan.FromHours(1).TotalMicroseconds;

    private readonly Lock _gate = new();
    private readonly LongHistogram _histogram = new(1, Highest, 3);

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _histogram.TotalCount;
            }
        }
    }

    /// <summary>Records one latency; below zero counts as zero, above the hour as the hour.</summary>
    public void Record(TimeSpan latency)
    {
        var micros = Math.Clamp((long)Math.Round(latency.TotalMicroseconds), 0, Highest);
        lock (_gate)
        {
            _histogram.RecordValue(micros);
        }
    }

    /// <summary>The latency at a percentile (0–100), as HdrHistogram reports it (within 0.1 %).</summary>
    public TimeSpan AtPercentile(double percentile)
    {
        lock (_gate)
        {
            return _histogram.TotalCount == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(_histogram.GetValueAtPercentile(percentile));
        }
    }

    public TimeSpan Max
    {
        get
        {
            lock (_gate)
            {
                return _histogram.TotalCount == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(_histogram.GetMaxValue());
            }
        }
    }

    public TimeSpan Mean
    {
        get
        {
            lock (_gate)
            {
                return _histogram.TotalCount == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(_histogram.GetMean());
            }
        }
    }

    /// <summary>True when <paramref name="value"/> and <paramref name="other"/> fall in the same histogram bucket.</summary>
    public bool SameBucket(TimeSpan value, TimeSpan other)
    {
        lock (_gate)
        {
            return _histogram.LowestEquivalentValue((long)value.TotalMicroseconds) == _histogram.LowestEquivalentValue((long)other.TotalMicroseconds);
        }
    }

    /// <summary>Adds every value of <paramref name="other"/>.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        LongHistogram copy;
        lock (other._gate)
        {
            copy = (LongHistogram)other._histogram.Copy();
        }

        lock (_gate)
        {
            _histogram.Add(copy);
        }
    }

    /// <summary>HdrHistogram's own percentile distribution (the .hgrm text format), values in milliseconds.</summary>
    public void WriteDistribution(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_gate)
        {
            _histogram.OutputPercentileDistribution(writer, outputValueUnitScalingRatio: 1000.0);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} p50={AtPercentile(50).TotalMilliseconds:0.0}ms p99={AtPercentile(99).TotalMilliseconds:0.0}ms max={Max.TotalMilliseconds:0.0}ms");
}
