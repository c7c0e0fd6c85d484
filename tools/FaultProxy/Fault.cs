namespace FaultProxy;

/// <summary>Which way through the proxy a fault applies to.</summary>
public enum FaultDirection
{
    /// <summary>Both ways.</summary>
    Both,

    /// <summary>Client to upstream: the requests.</summary>
    Upstream,

    /// <summary>Upstream to client: the answers.</summary>
    Downstream,
}

/// <summary>
/// A network fault a <see cref="TcpFaultProxy"/> injects (<see cref="TcpFaultProxy.SetFault"/>).
/// Faults of different kinds combine (latency and a bandwidth limit, say); setting a fault
/// replaces an active one of the same kind (and, for latency and bandwidth, the same direction).
/// </summary>
public abstract record Fault
{
    private protected Fault()
    {
    }

    /// <summary>Every chunk is held <paramref name="delay"/> ± up to <paramref name="jitter"/> (uniform) before it is forwarded.</summary>
    public static LatencyFault Latency(TimeSpan delay, TimeSpan jitter = default, FaultDirection direction = FaultDirection.Both) =>
        new(delay, jitter, direction);

    /// <summary>Forwarded bytes are paced to at most <paramref name="bytesPerSecond"/>.</summary>
    public static BandwidthFault Bandwidth(int bytesPerSecond, FaultDirection direction = FaultDirection.Both) =>
        new(bytesPerSecond, direction);

    /// <summary>A one-off action: every open connection is reset (RST) now. It does not stay active.</summary>
    public static ResetAllFault ResetAll { get; } = new();

    /// <summary>Every new connection is accepted and reset (RST) at once; open connections are untouched.</summary>
    public static ResetNewFault ResetNew { get; } = new();

    /// <summary>Connections are accepted and their bytes read, but nothing is forwarded either way; open connections stop forwarding too.</summary>
    public static BlackHoleFault BlackHole { get; } = new();

    /// <summary>Requests still reach the upstream, its answers are read and dropped; connections stay open.</summary>
    public static HalfOpenFault HalfOpen { get; } = new();

    /// <summary>The proxy stops listening (connects are refused) and resets open connections; clearing it listens again on the same port.</summary>
    public static DownFault Down { get; } = new();

    /// <summary>What a fault replaces: an active fault with the same key.</summary>
    internal virtual object Key => GetType();
}

/// <summary>Added delay per forwarded chunk; see <see cref="Fault.Latency"/>.</summary>
/// <param name="Delay">The mean delay, at least zero.</param>
/// <param name="Jitter">The largest deviation from <paramref name="Delay"/>, either way; the delay never goes below zero.</param>
/// <param name="Direction">Which way it applies.</param>
public sealed record LatencyFault(TimeSpan Delay, TimeSpan Jitter, FaultDirection Direction) : Fault
{
    /// <summary>Checked arguments.</summary>
    public TimeSpan Delay { get; } = Delay >= TimeSpan.Zero ? Delay : throw new ArgumentOutOfRangeException(nameof(Delay));

    /// <summary>The largest deviation either way.</summary>
    public TimeSpan Jitter { get; } = Jitter >= TimeSpan.Zero ? Jitter : throw new ArgumentOutOfRangeException(nameof(Jitter));

    internal override object Key => (typeof(LatencyFault), Direction);
}

/// <summary>A bandwidth limit; see <see cref="Fault.Bandwidth"/>.</summary>
/// <param name="BytesPerSecond">The limit, at least 1.</param>
/// <param name="Direction">Which way it applies.</param>
public sealed record BandwidthFault(int BytesPerSecond, FaultDirection Direction) : Fault
{
    /// <summary>The limit, at least 1.</summary>
    public int BytesPerSecond { get; } = BytesPerSecond >= 1 ? BytesPerSecond : throw new ArgumentOutOfRangeException(nameof(BytesPerSecond));

    internal override object Key => (typeof(BandwidthFault), Direction);
}

/// <summary>Reset every open connection now; see <see cref="Fault.ResetAll"/>.</summary>
public sealed record ResetAllFault : Fault;

/// <summary>Reset every new connection; see <see cref="Fault.ResetNew"/>.</summary>
public sealed record ResetNewFault : Fault;

/// <summary>Accept, read, never forward or answer; see <see cref="Fault.BlackHole"/>.</summary>
public sealed record BlackHoleFault : Fault;

/// <summary>Forward requests, drop answers; see <see cref="Fault.HalfOpen"/>.</summary>
public sealed record HalfOpenFault : Fault;

/// <summary>Not listening; see <see cref="Fault.Down"/>.</summary>
public sealed record DownFault : Fault;
