using System.Net;
using System.Net.Sockets;

namespace FaultProxy;

/// <summary>
/// One client connection through the proxy: connects to the upstream, then pumps bytes both ways,
/// one bounded chunk at a time, reading the active faults afresh for every chunk.
/// </summary>
internal sealed class ProxyConnection
{
    /// <summary>The largest chunk read and forwarded at once, per direction.</summary>
    internal const int ChunkSize = 16 * 1024;

    /// <summary>How long connecting to the upstream may take before the client is reset.</summary>
    internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _client;
    private readonly IPEndPoint _upstreamEndpoint;
    private readonly Func<FaultSet> _faults;
    private readonly ProxyCounters _counters;
    private readonly CancellationTokenSource _cts;
    private Socket? _upstream;
    private int _closed;

    public ProxyConnection(Socket client, IPEndPoint upstream, Func<FaultSet> faults, ProxyCounters counters, CancellationToken lifetime)
    {
        _client = client;
        _upstreamEndpoint = upstream;
        _faults = faults;
        _counters = counters;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
    }

    private bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Connects and forwards until both directions end, a socket fails, or the connection is aborted.</summary>
    public async Task RunAsync()
    {
        try
        {
            _client.NoDelay = true;
            if (!await ConnectUpstreamAsync())
            {
                return;
            }

            var toUpstream = PumpAsync(_client, FaultDirection.Upstream);
            var toClient = _upstream is null ? Task.CompletedTask : PumpAsync(_upstream, FaultDirection.Downstream);
            await Task.WhenAll(toUpstream, toClient);
        }
        catch (Exception) when (IsClosed)
        {
            // Aborted (a fault, or the proxy disposed) while connecting or pumping.
        }
        finally
        {
            Close(reset: false);
            _cts.Dispose();
        }
    }

    /// <summary>Resets both sockets now (RST: linger on, zero timeout, then close). Idempotent.</summary>
    public void Abort() => Close(reset: true);

    /// <summary>
    /// Connects to the upstream. Under a black hole a failed connect is not passed on: the client
    /// stays connected to a sink. Otherwise a failed connect resets the client, as a refused
    /// upstream would.
    /// </summary>
    private async Task<bool> ConnectUpstreamAsync()
    {
        var upstream = new Socket(_upstreamEndpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _upstream = upstream;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await upstream.ConnectAsync(_upstreamEndpoint, timeout.Token);
            return true;
        }
        catch (Exception) when (!IsClosed)
        {
            _upstream = null;
            upstream.Dispose();
            if (_faults().BlackHole)
            {
                return true;
            }

            Abort();
            return false;
        }
    }

    private async Task PumpAsync(Socket source, FaultDirection direction)
    {
        var buffer = new byte[ChunkSize];
        var token = _cts.Token;
        try
        {
            while (true)
            {
                var read = await source.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, token);
                var faults = _faults();
                var destination = direction == FaultDirection.Upstream ? _upstream : _client;
                if (read == 0)
                {
                    // Pass the half-close on, unless this way is cut (then the peer hears nothing).
                    if (destination is not null && !faults.Drops(direction))
                    {
                        destination.Shutdown(SocketShutdown.Send);
                    }

                    return;
                }

                if (faults.Drops(direction))
                {
                    _counters.Dropped(read);
                    continue;
                }

                if (destination is null)
                {
                    // Accepted during a black hole with the upstream unreachable: nowhere to forward to.
                    Abort();
                    return;
                }

                if (faults.LatencyFor(direction) is { } latency)
                {
                    await Task.Delay(DelayOf(latency), token);
                }

                await ForwardAsync(destination, buffer.AsMemory(0, read), faults.BandwidthFor(direction), direction, token);
            }
        }
        catch (Exception) when (IsClosed || token.IsCancellationRequested)
        {
            // Closed by us: nothing to pass on.
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // One side failed: the other hears a reset, as it would without the proxy.
            Abort();
        }
    }

    private async Task ForwardAsync(Socket destination, ReadOnlyMemory<byte> data, BandwidthFault? limit, FaultDirection direction, CancellationToken token)
    {
        // Under a limit, send slices of a tenth of a second's worth and wait out each one's share.
        var slice = limit is null ? data.Length : Math.Clamp(limit.BytesPerSecond / 10, 1, data.Length);
        while (!data.IsEmpty)
        {
            var piece = data[..Math.Min(slice, data.Length)];
            var pieceLength = piece.Length;
            while (!piece.IsEmpty)
            {
                var sent = await destination.SendAsync(piece, SocketFlags.None, token);
                _counters.Forwarded(direction, sent);
                piece = piece[sent..];
                data = data[sent..];
            }

            if (limit is not null)
            {
                await Task.Delay(TimeSpan.FromSeconds(pieceLength / (double)limit.BytesPerSecond), token);
            }
        }
    }

    private static TimeSpan DelayOf(LatencyFault latency)
    {
        if (latency.Jitter == TimeSpan.Zero)
        {
            return latency.Delay;
        }

        // Uniform in [delay - jitter, delay + jitter], never below zero. Not security-sensitive.
#pragma warning disable CA5394
        var offset = ((Random.Shared.NextDouble() * 2) - 1) * latency.Jitter.Ticks;
#pragma warning restore CA5394
        return TimeSpan.FromTicks(Math.Max(0, latency.Delay.Ticks + (long)offset));
    }

    private void Close(bool reset)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (reset)
        {
            _counters.Reset();
            SocketReset.Reset(_client);
            SocketReset.Reset(_upstream);
        }

        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // RunAsync already finished.
        }

        _client.Dispose();
        _upstream?.Dispose();
    }
}
