using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orchestration;

/// <summary>
/// Ports for the processes and simulators this tooling starts, picked below the system's ephemeral range
/// (<c>/proc/sys/net/ipv4/ip_local_port_range</c>). A port picked inside it (by binding port 0) can be taken by any
/// outgoing connection while its owner is down for a restart: a restarted gateway once failed to bind its own port
/// ("address already in use") during a chaos run with thousands of connections open. Outside the range only another
/// listener can take it, and none of this process's picks is handed out twice.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 15000;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port free on loopback now, below the ephemeral range, not handed out before by this process.</summary>
    public static int Next()
    {
        var highest = EphemeralLow() - 1;
        if (highest - Lowest >= 1000)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(Lowest, highest + 1);
                lock (Gate)
                {
                    if (!Handed.Contains(port) && CanBind(port))
                    {
                        Handed.Add(port);
                        return port;
                    }
                }
            }
        }

        // No room below the range (an unusual system setting): let the system pick, as before.
        lock (Gate)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var picked = ((IPEndPoint)listener.LocalEndpoint).Port;
            Handed.Add(picked);
            return picked;
        }
    }

    /// <summary>The first port of the system's ephemeral range (32768, Linux's default, when it cannot be read).</summary>
    public static int EphemeralLow()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            var first = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, NumberStyles.Integer, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
