using System.Net;
using System.Net.Sockets;
using Orchestration;

namespace Load.Tests.Deployment;

/// <summary>
/// Ports for the processes the tooling starts come from below the system's ephemeral range, so no outgoing connection
/// can take one while its gateway is down for a restart, and one process never hands out the same port twice.
/// </summary>
public sealed class FreePortsTests
{
    [Fact]
    public void Next_BelowTheEphemeralRange_FreeAndNeverTwice()
    {
        var low = FreePorts.EphemeralLow();
        var ports = Enumerable.Range(0, 50).Select(_ => FreePorts.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, low - 1));
        using var listener = new TcpListener(IPAddress.Loopback, ports[^1]);
        listener.Start();
    }
}
