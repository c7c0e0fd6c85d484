namespace Gateway.Partners;

/// <summary>Latency percentiles of a partner's recent calls, as this instance saw them.</summary>
public sealed record LatencySummary(int Samples, long P50Ms, long P90Ms, long P99Ms, long MaxMs);

/// <summary>
/// The last calls to each partner (a bounded ring per partner and call kind), for the on-call
/// partner view. In memory and per instance, by design: it describes what this instance sees now.
/// </summary>
public sealed class PartnerCallStats
{
    private const int Capacity = 1024;
    private readonly Dictionary<(string Partner, string Call), Ring> _rings = [];
    private readonly Lock _gate = new();

    public void Record(string partner, string call, long elapsedMs)
    {
        lock (_gate)
        {
            if (!_rings.TryGetValue((partner, call), out var ring))
            {
                ring = _rings[(partner, call)] = new Ring();
            }

            ring.Add(elapsedMs);
        }
    }

    public LatencySummary? Summary(string partner, string call)
    {
        long[] samples;
        lock (_gate)
        {
            if (!_rings.TryGetValue((partner, call), out var ring) || ring.Count == 0)
            {
                return null;
            }

            samples = ring.Snapshot();
        }

        Array.Sort(samples);
        return new LatencySummary(samples.Length, At(samples, 0.50), At(samples, 0.90), At(samples, 0.99), samples[^1]);
    }

    private static long At(long[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed class Ring
    {
        private readonly long[] _values = new long[Capacity];
        private int _next;

        public int Count { get; private set; }

        public void Add(long value)
        {
            _values[_next] = value;
            _next = (_next + 1) % Capacity;
            Count = Math.Min(Count + 1, Capacity);
        }

        public long[] Snapshot() => _values[..Count];
    }
}
