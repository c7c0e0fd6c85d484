namespace Gateway.Partners;

/// <summary>Latency percentiles of a partner's recent calls, as this instance saw them.</summary>
public sealed record LatencySummary(int Samples, long P50Ms, long P90Ms, long P99Ms, long MaxMs);

/// <summary>
/// One partner's last calls (a bounded ring per call kind), for the on-call partner view. In
/// memory and per instance, by design: it describes what this instance sees now.
/// </summary>
public sealed class PartnerCallStats
{
    public const string Disburse = "disburse";
    public const string Inquiry = "inquiry";

    private const int Capacity = 1024;
    private readonly Ring _disburse = new();
    private readonly Ring _inquiry = new();

    public void Record(string call, long elapsedMs)
    {
        var ring = RingOf(call);
        lock (ring)
        {
            ring.Add(elapsedMs);
        }
    }

    public LatencySummary? Summary(string call)
    {
        var ring = RingOf(call);
        long[] samples;
        lock (ring)
        {
            if (ring.Count == 0)
            {
                return null;
            }

            samples = ring.Snapshot();
        }

        Array.Sort(samples);
        return new LatencySummary(samples.Length, At(samples, 0.50), At(samples, 0.90), At(samples, 0.99), samples[^1]);
    }

    private Ring RingOf(string call) => call == Disburse ? _disburse : _inquiry;

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
