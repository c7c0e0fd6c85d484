namespace Simulators.Common;

/// <summary>One listening period of a simulator: what a response callback may need from it.</summary>
internal sealed class SimulatorRun(ConnectionGate gate, CancellationToken stopping)
{
    /// <summary>Cancelled when the simulator goes down or is disposed: pending delays end at once.</summary>
    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Closes the current request's connection without an HTTP answer.</summary>
    public void DropConnection() => gate.DropCurrentConnection();
}
