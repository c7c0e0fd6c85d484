using System.Net.Sockets;

namespace FaultProxy;

/// <summary>Ends a socket with a TCP reset instead of a graceful close.</summary>
internal static class SocketReset
{
    /// <summary>Linger on with a zero timeout, then close: the kernel sends RST and drops unsent data.</summary>
    public static void Reset(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing to reset.
        }

        socket.Dispose();
    }
}
