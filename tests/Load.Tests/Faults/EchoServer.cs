using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Load.Tests.Faults;

/// <summary>
/// A tiny upstream on 127.0.0.1 for the proxy tests: echoes every byte back (or, as an HTTP
/// target, answers every request with <c>200 ok</c>) and counts what it received.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _clients = [];
    private readonly Task _accepting;
    private readonly bool _http;
    private long _received;
    private int _accepted;

    private EchoServer(bool http)
    {
        _http = http;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Bytes received from all connections.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Connections accepted.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public static EchoServer Start() => new(http: false);

    public static EchoServer StartHttp() => new(http: true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                _clients.Add(client);
                _ = ServeAsync(client);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var buffer = new byte[8192];
        var request = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    client.Shutdown(SocketShutdown.Send);
                    return;
                }

                Interlocked.Add(ref _received, read);
                if (!_http)
                {
                    await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                    continue;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                if (request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    request.Clear();
                    await client.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection or the server ended.
        }
    }
}
