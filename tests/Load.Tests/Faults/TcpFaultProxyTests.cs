using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FaultProxy;

namespace Load.Tests.Faults;

/// <summary>
/// What a client of <see cref="TcpFaultProxy"/> sees under each fault, against an in-test echo
/// server. Every wait is bounded; timing asserts use generous lower bounds only.
/// </summary>
public sealed class TcpFaultProxyTests
{
    /// <summary>The most any single step may take before the test fails.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>How long a client waits to conclude it gets no answer.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task NoFault_ForwardsBothWays_AndCounts()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var client = await ConnectAsync(proxy);

        var answer = await RoundTripAsync(client, Payload(1000));

        Assert.Equal(Payload(1000), answer);
        Assert.Equal(IPAddress.Loopback, proxy.Endpoint.Address);
        // A pump counts its bytes after its write completes, so the echo can arrive first: wait (bounded) for the counts.
        var stats = proxy.Stats;
        for (var deadline = DateTime.UtcNow.AddSeconds(5); (stats.BytesUpstream < 1000 || stats.BytesDownstream < 1000) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(10);
            stats = proxy.Stats;
        }

        Assert.Equal(1, stats.ConnectionsAccepted);
        Assert.Equal(1, stats.OpenConnections);
        Assert.Equal(1000, stats.BytesUpstream);
        Assert.Equal(1000, stats.BytesDownstream);
        Assert.Equal(0, stats.ConnectionsReset);
    }

    [Fact]
    public async Task Latency_300ms_RoundTripTakesAtLeast250ms_ClearedNormalAgain()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, Payload(10));

        proxy.SetFault(Fault.Latency(TimeSpan.FromMilliseconds(300)));
        var watch = Stopwatch.StartNew();
        await RoundTripAsync(client, Payload(10));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"round trip {watch.Elapsed}");

        proxy.ClearFaults();
        Assert.Empty(proxy.ActiveFaults);
        Assert.Equal(Payload(10), await RoundTripAsync(client, Payload(10)));
    }

    [Fact]
    public async Task Latency_UpstreamOnlyWithJitter_DelaysEveryRoundTrip()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var client = await ConnectAsync(proxy);

        proxy.SetFault(Fault.Latency(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100), FaultDirection.Upstream));
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await RoundTripAsync(client, Payload(10));
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(90), $"round trip {watch.Elapsed}");
        }
    }

    [Fact]
    public async Task Bandwidth_10KBps_20KBTakesAtLeast1500ms()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var client = await ConnectAsync(proxy);

        proxy.SetFault(Fault.Bandwidth(10 * 1024));
        var watch = Stopwatch.StartNew();
        var answer = await RoundTripAsync(client, Payload(20 * 1024));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(1500), $"20 KB took {watch.Elapsed}");
        Assert.Equal(Payload(20 * 1024), answer);
    }

    [Fact]
    public async Task BlackHole_OpenConnection_NoAnswerNothingUpstream_ConnectionStaysOpen()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, Payload(10));
        var receivedBefore = echo.Received;

        proxy.SetFault(Fault.BlackHole);
        await client.SendAsync(Payload(10), SocketFlags.None);
        await AssertSilentAsync(client);
        Assert.Equal(receivedBefore, echo.Received);
        Assert.Equal(10, proxy.Stats.BytesDropped);

        // Still the same open connection: once cleared, it forwards again (the dropped bytes stay lost).
        proxy.ClearFault<BlackHoleFault>();
        Assert.Equal(Payload(20), await RoundTripAsync(client, Payload(20)));
    }

    [Fact]
    public async Task BlackHole_NewConnection_AcceptedButNeverAnswered()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        proxy.SetFault(Fault.BlackHole);

        using var client = await ConnectAsync(proxy);
        await client.SendAsync(Payload(100), SocketFlags.None);

        await AssertSilentAsync(client);
        Assert.Equal(0, echo.Received);
        Assert.Equal(1, proxy.Stats.ConnectionsAccepted);
    }

    [Fact]
    public async Task BlackHole_UpstreamUnreachable_StillAcceptsAndHolds()
    {
        var closed = ClosedPort();
        await using var proxy = TcpFaultProxy.Start(closed);
        proxy.SetFault(Fault.BlackHole);

        using var client = await ConnectAsync(proxy);
        await client.SendAsync(Payload(100), SocketFlags.None);

        await AssertSilentAsync(client);
        Assert.Equal(0, proxy.Stats.ConnectionsReset);
    }

    [Fact]
    public async Task HalfOpen_UpstreamReceivesTheBytes_ClientGetsNothing_ConnectionStaysOpen()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, Payload(10));

        proxy.SetFault(Fault.HalfOpen);
        await client.SendAsync(Payload(30), SocketFlags.None);

        await AssertSilentAsync(client);
        await WaitUntilAsync(() => echo.Received == 40);
        await WaitUntilAsync(() => proxy.Stats.BytesDropped == 30);

        proxy.ClearFaults();
        Assert.Equal(Payload(5), await RoundTripAsync(client, Payload(5)));
    }

    [Fact]
    public async Task ResetAll_OpenConnectionsSeeReset_NewConnectionsWork()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var first = await ConnectAsync(proxy);
        using var second = await ConnectAsync(proxy);
        await RoundTripAsync(first, Payload(10));
        await RoundTripAsync(second, Payload(10));

        proxy.SetFault(Fault.ResetAll);

        await AssertResetAsync(first);
        await AssertResetAsync(second);
        Assert.Equal(2, proxy.Stats.ConnectionsReset);
        Assert.Empty(proxy.ActiveFaults);
        using var third = await ConnectAsync(proxy);
        Assert.Equal(Payload(10), await RoundTripAsync(third, Payload(10)));
    }

    [Fact]
    public async Task ResetNew_NewConnectionsReset_OpenOnesKeepWorking_ClearedNormalAgain()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var open = await ConnectAsync(proxy);
        await RoundTripAsync(open, Payload(10));

        proxy.SetFault(Fault.ResetNew);
        await AssertNewConnectionResetAsync(proxy);

        Assert.Equal(Payload(10), await RoundTripAsync(open, Payload(10)));
        Assert.Equal(1, echo.Accepted);

        proxy.ClearFault<ResetNewFault>();
        using var later = await ConnectAsync(proxy);
        Assert.Equal(Payload(10), await RoundTripAsync(later, Payload(10)));
    }

    [Fact]
    public async Task Down_ConnectRefusedAndOpenOnesReset_UpWorksOnTheSamePort()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = TcpFaultProxy.Start(echo.Endpoint);
        var port = proxy.Port;
        using var open = await ConnectAsync(proxy);
        await RoundTripAsync(open, Payload(10));

        proxy.SetFault(Fault.Down);

        await AssertResetAsync(open);
        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(proxy));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        proxy.ClearFault<DownFault>();
        Assert.Equal(port, proxy.Port);
        using var again = await ConnectAsync(proxy);
        Assert.Equal(Payload(10), await RoundTripAsync(again, Payload(10)));
    }

    [Fact]
    public async Task UpstreamRefused_ClientIsReset()
    {
        await using var proxy = TcpFaultProxy.Start(ClosedPort());

        await AssertNewConnectionResetAsync(proxy);
        Assert.Equal(1, proxy.Stats.ConnectionsReset);
    }

    [Fact]
    public async Task Dispose_ClosesTheListenerAndEveryConnectionPromptly()
    {
        await using var echo = EchoServer.Start();
        var proxy = TcpFaultProxy.Start(echo.Endpoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, Payload(10));
        proxy.SetFault(Fault.BlackHole);

        await proxy.DisposeAsync().AsTask().WaitAsync(Bound);

        await AssertResetAsync(client);
        await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(proxy));
        Assert.Throws<ObjectDisposedException>(() => proxy.SetFault(Fault.HalfOpen));
    }

    [Fact]
    public async Task Http_ThroughTheProxy_LatencyAddsUp_BlackHoleTimesOut()
    {
        await using var target = EchoServer.StartHttp();
        await using var proxy = TcpFaultProxy.Start(target.Endpoint);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}/"), Timeout = Bound };

        Assert.Equal("ok", await http.GetStringAsync(new Uri("ping", UriKind.Relative)));

        proxy.SetFault(Fault.Latency(TimeSpan.FromMilliseconds(300), direction: FaultDirection.Downstream));
        var watch = Stopwatch.StartNew();
        Assert.Equal("ok", await http.GetStringAsync(new Uri("ping", UriKind.Relative)));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"request took {watch.Elapsed}");

        proxy.ClearFaults();
        proxy.SetFault(Fault.BlackHole);
        using var silence = new CancellationTokenSource(Silence);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetStringAsync(new Uri("ping", UriKind.Relative), silence.Token));
    }

    private static byte[] Payload(int length) => Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();

    private static async Task<Socket> ConnectAsync(TcpFaultProxy proxy)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(Bound);
            await socket.ConnectAsync(proxy.Endpoint, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the bytes and reads back as many, concurrently (so a slow proxy cannot deadlock on full buffers).</summary>
    private static async Task<byte[]> RoundTripAsync(Socket client, byte[] request)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var send = client.SendAsync(request, SocketFlags.None, timeout.Token).AsTask();
        var answer = new byte[request.Length];
        var total = 0;
        while (total < answer.Length)
        {
            var read = await client.ReceiveAsync(answer.AsMemory(total), SocketFlags.None, timeout.Token);
            Assert.True(read > 0, "the connection closed before the whole answer came back");
            total += read;
        }

        await send;
        return answer;
    }

    /// <summary>No byte and no close within <see cref="Silence"/>: the read is still pending.</summary>
    private static async Task AssertSilentAsync(Socket client)
    {
        var buffer = new byte[64];
        using var silence = new CancellationTokenSource(Silence);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ReceiveAsync(buffer, SocketFlags.None, silence.Token));
        Assert.True(client.Connected);
    }

    /// <summary>The connection was reset: a read fails with ConnectionReset (or, if the reset raced a close, ends).</summary>
    private static async Task AssertResetAsync(Socket client)
    {
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.Equal(0, read);
        }
        catch (SocketException ex)
        {
            Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        }
    }

    /// <summary>A new connection is reset: the reset can win the race with the connect's completion, or reach the first read.</summary>
    private static async Task AssertNewConnectionResetAsync(TcpFaultProxy proxy)
    {
        Socket fresh;
        try
        {
            fresh = await ConnectAsync(proxy);
        }
        catch (SocketException ex)
        {
            Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
            return;
        }

        using (fresh)
        {
            await AssertResetAsync(fresh);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < Bound, "condition not met in time");
            await Task.Delay(20);
        }
    }

    /// <summary>A loopback endpoint nothing listens on: bound then released.</summary>
    private static IPEndPoint ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
