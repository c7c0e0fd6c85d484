using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FaultProxy;

/// <summary>
/// A TCP proxy on the loopback interface that forwards every connection to one upstream and
/// injects network faults switched at runtime (<see cref="SetFault"/>, <see cref="ClearFaults"/>):
/// latency and jitter, bandwidth limits, resets, black holes, half-open connections, and a
/// listener that goes down and comes back on the same port. Faults apply per chunk to new and
/// open connections alike. Every connection runs on async I/O with two bounded buffers; at most
/// <see cref="MaxConnections"/> are open at once (more are reset); disposing closes the listener
/// and resets every connection.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    /// <summary>The most connections open at once; further connections are accepted and reset.</summary>
    public const int MaxConnections = 1024;

    private const int Backlog = 512;
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<long, (ProxyConnection Connection, Task Run)> _connections = new();
    private readonly Dictionary<object, Fault> _active = [];
    private readonly ProxyCounters _counters = new();
    private volatile FaultSet _faults = FaultSet.None;
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;
    private bool _disposed;

    private TcpFaultProxy(IPEndPoint upstream, int listenPort)
    {
        Upstream = upstream;
        _listener = Listen(listenPort);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(_listener);
    }

    /// <summary>Where the proxy listens: 127.0.0.1 and <see cref="Port"/>.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The port the proxy listens on; it stays the same across <see cref="Fault.Down"/>.</summary>
    public int Port => Endpoint.Port;

    /// <summary>Where every connection is forwarded.</summary>
    public IPEndPoint Upstream { get; }

    /// <summary>The counters now.</summary>
    public ProxyStats Stats => _counters.Snapshot(_connections.Count);

    /// <summary>The faults active now (never <see cref="ResetAllFault"/>, which is a one-off action).</summary>
    public IReadOnlyList<Fault> ActiveFaults => _faults.Faults;

    /// <summary>
    /// Starts a proxy to <paramref name="upstream"/> listening on 127.0.0.1 only, on
    /// <paramref name="listenPort"/> or, with 0, a free port (see <see cref="Port"/>).
    /// </summary>
    public static TcpFaultProxy Start(IPEndPoint upstream, int listenPort = 0)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentOutOfRangeException.ThrowIfNegative(listenPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(listenPort, IPEndPoint.MaxPort);
        return new TcpFaultProxy(upstream, listenPort);
    }

    /// <summary>
    /// Switches a fault on, replacing an active one of the same kind (for latency and bandwidth:
    /// the same kind and direction). <see cref="Fault.ResetAll"/> resets the open connections and
    /// stays inactive; <see cref="Fault.Down"/> closes the listener and resets the open connections.
    /// </summary>
    public void SetFault(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (fault is ResetAllFault)
            {
                AbortAll();
                return;
            }

            _active[fault.Key] = fault;
            Publish();
            if (fault is DownFault)
            {
                StopListening();
                AbortAll();
            }
        }
    }

    /// <summary>Switches off every active fault of type <typeparamref name="TFault"/>; clearing <see cref="DownFault"/> listens again.</summary>
    public void ClearFault<TFault>()
        where TFault : Fault =>
        Clear(f => f is TFault);

    /// <summary>Switches off every fault: the proxy forwards normally again, listening if it was down.</summary>
    /// <exception cref="SocketException">The proxy was down and its port has been taken meanwhile; it stays down.</exception>
    public void ClearFaults() => Clear(_ => true);

    /// <summary>Resets every open connection now; the same as <see cref="SetFault"/> with <see cref="Fault.ResetAll"/>.</summary>
    public void ResetAllConnections() => SetFault(Fault.ResetAll);

    /// <summary>Closes the listener and resets every connection, then waits (a bounded time) for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Task acceptLoop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            StopListening();
            _lifetime.Cancel();
            AbortAll();
            acceptLoop = _acceptLoop;
        }

        var runs = _connections.Values.Select(c => c.Run).Append(acceptLoop).ToArray();
        try
        {
            await Task.WhenAll(runs).WaitAsync(DisposeTimeout);
        }
        catch (Exception)
        {
            // Every connection was reset; one still unwinding after the timeout holds no socket.
        }

        _lifetime.Dispose();
    }

    private void Clear(Func<Fault, bool> which)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var wasDown = _faults.Down;
            foreach (var key in _active.Where(kv => which(kv.Value)).Select(kv => kv.Key).ToList())
            {
                _active.Remove(key);
            }

            Publish();
            if (wasDown && !_faults.Down)
            {
                try
                {
                    _listener = Listen(Port);
                }
                catch (SocketException)
                {
                    // The port was taken meanwhile: stay down, and say so.
                    _active[Fault.Down.Key] = Fault.Down;
                    Publish();
                    throw;
                }

                _acceptLoop = AcceptLoopAsync(_listener);
            }
        }
    }

    private void Publish() => _faults = new FaultSet([.. _active.Values]);

    /// <summary>Binds 127.0.0.1 only; on Unix with SO_REUSEADDR so the port can be bound again after <see cref="Fault.Down"/>.</summary>
    private static Socket Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(Backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private void StopListening()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private void AbortAll()
    {
        foreach (var (connection, _) in _connections.Values)
        {
            connection.Abort();
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_lifetime.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The listener closed: down, or disposed.
                return;
            }

            _counters.Accepted();
            lock (_gate)
            {
                // A connection accepted just as the listener went down, or under ResetNew, or over the bound: reset.
                if (!ReferenceEquals(listener, _listener) || _faults.ResetNew || _connections.Count >= MaxConnections)
                {
                    _counters.Reset();
                    SocketReset.Reset(client);
                    continue;
                }

                var id = ++_nextId;
                var connection = new ProxyConnection(client, Upstream, () => _faults, _counters, _lifetime.Token);
                // Registered before it runs, so a reset or dispose from now on reaches it.
                var run = new Task<Task>(connection.RunAsync);
                _connections[id] = (connection, RunThenRemoveAsync(id, run.Unwrap()));
                run.Start(TaskScheduler.Default);
            }
        }
    }

    private async Task RunThenRemoveAsync(long id, Task run)
    {
        try
        {
            await run;
        }
        catch (Exception)
        {
            // A connection's failure ends that connection only.
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }
}
