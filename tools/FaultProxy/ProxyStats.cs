namespace FaultProxy;

/// <summary>A snapshot of a <see cref="TcpFaultProxy"/>'s counters since it started.</summary>
/// <param name="ConnectionsAccepted">Client connections accepted, including those reset at once.</param>
/// <param name="OpenConnections">Client connections open now.</param>
/// <param name="BytesUpstream">Bytes forwarded from clients to the upstream.</param>
/// <param name="BytesDownstream">Bytes forwarded from the upstream to clients.</param>
/// <param name="BytesDropped">Bytes read and dropped (black hole, half-open), either way.</param>
/// <param name="ConnectionsReset">Client connections the proxy ended with a reset (RST): faults, and upstream failures passed on.</param>
public sealed record ProxyStats(
    long ConnectionsAccepted,
    int OpenConnections,
    long BytesUpstream,
    long BytesDownstream,
    long BytesDropped,
    long ConnectionsReset);
