using WireMock;

namespace Simulators.Common;

/// <summary>One listening period of a simulator: what a response callback may need from it.</summary>
internal sealed class SimulatorRun(ConnectionGate gate, CancellationToken stopping)
{
    /// <summary>Cancelled when the simulator goes down or is disposed: pending delays end at once.</summary>
    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Closes the current request's connection without an HTTP answer; return the result from the callback.</summary>
    public ResponseMessage Drop()
    {
        gate.DropCurrentConnection();
        return SimResponses.Nothing();
    }

    /// <summary>
    /// Holds an answer back for <paramref name="delay"/>; false when the simulator went down
    /// meanwhile (the caller then drops the connection, as a real outage cuts it).
    /// </summary>
    public async Task<bool> HoldAsync(TimeSpan delay, TimeProvider clock)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, clock, Stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
