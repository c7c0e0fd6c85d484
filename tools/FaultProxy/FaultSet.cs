namespace FaultProxy;

/// <summary>An immutable snapshot of the active faults, read by every connection per chunk.</summary>
internal sealed class FaultSet
{
    public static readonly FaultSet None = new([]);

    public FaultSet(IReadOnlyList<Fault> faults)
    {
        Faults = faults;
        BlackHole = faults.OfType<BlackHoleFault>().Any();
        HalfOpen = faults.OfType<HalfOpenFault>().Any();
        ResetNew = faults.OfType<ResetNewFault>().Any();
        Down = faults.OfType<DownFault>().Any();
        _upstreamLatency = Pick<LatencyFault>(faults, f => f.Direction, FaultDirection.Upstream);
        _downstreamLatency = Pick<LatencyFault>(faults, f => f.Direction, FaultDirection.Downstream);
        _upstreamBandwidth = Pick<BandwidthFault>(faults, f => f.Direction, FaultDirection.Upstream);
        _downstreamBandwidth = Pick<BandwidthFault>(faults, f => f.Direction, FaultDirection.Downstream);
    }

    private readonly LatencyFault? _upstreamLatency;
    private readonly LatencyFault? _downstreamLatency;
    private readonly BandwidthFault? _upstreamBandwidth;
    private readonly BandwidthFault? _downstreamBandwidth;

    public IReadOnlyList<Fault> Faults { get; }

    public bool BlackHole { get; }

    public bool HalfOpen { get; }

    public bool ResetNew { get; }

    public bool Down { get; }

    /// <summary>Whether bytes going <paramref name="direction"/> are dropped instead of forwarded.</summary>
    public bool Drops(FaultDirection direction) => BlackHole || (HalfOpen && direction == FaultDirection.Downstream);

    /// <summary>The latency for one direction: a fault for that direction wins over one for both.</summary>
    public LatencyFault? LatencyFor(FaultDirection direction) =>
        direction == FaultDirection.Upstream ? _upstreamLatency : _downstreamLatency;

    /// <summary>The bandwidth limit for one direction: a fault for that direction wins over one for both.</summary>
    public BandwidthFault? BandwidthFor(FaultDirection direction) =>
        direction == FaultDirection.Upstream ? _upstreamBandwidth : _downstreamBandwidth;

    private static T? Pick<T>(IReadOnlyList<Fault> faults, Func<T, FaultDirection> directionOf, FaultDirection direction)
        where T : Fault =>
        faults.OfType<T>().FirstOrDefault(f => directionOf(f) == direction)
        ?? faults.OfType<T>().FirstOrDefault(f => directionOf(f) == FaultDirection.Both);
}
