using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace Simulators.Common;

/// <summary>
/// Owns a simulator's WireMock server: starts it on one port, takes it down (connections are
/// refused) and brings it back on the same port. The simulator's state lives outside the server,
/// so it survives a restart; the mappings are registered again on every start.
/// </summary>
internal sealed class SimulatorHost : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IPAddress _bindAddress;
    private readonly Action<WireMockServer, SimulatorRun> _map;
    private readonly ReceivedRequests _received = new();
    private WireMockServer? _server;
    private CancellationTokenSource? _stopping;
    private bool _disposed;

    public SimulatorHost(IPAddress bindAddress, int port, Action<WireMockServer, SimulatorRun> map)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        _bindAddress = bindAddress;
        Port = port;
        _map = map;
    }

    /// <summary>The listening port (the one picked by the system when 0 was asked for).</summary>
    public int Port { get; private set; }

    /// <summary>Every request received so far, across restarts, health probes included.</summary>
    public IReadOnlyList<ReceivedRequest> Received => _received.Snapshot();

    /// <summary>Where local clients reach the simulator (always loopback).</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>Starts listening (again), on the same port as before. Does nothing when already up.</summary>
    public void Up()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_server is not null)
            {
                return;
            }

            var gate = new ConnectionGate(_received);
            var stopping = new CancellationTokenSource();
            WireMockServer server;
            try
            {
                server = WireMockServer.Start(new WireMockServerSettings
                {
                    Urls = [string.Create(CultureInfo.InvariantCulture, $"http://{Host(_bindAddress)}:{Port}")],
                    StartAdminInterface = false,
                    ReadStaticMappings = false,
                    MaxRequestLogCount = 0,
                    Logger = new WireMockNullLogger(),
                    PreWireMockMiddlewareInit = gate.Install,
                });
                Port = server.Ports[0];
                _map(server, new SimulatorRun(gate, stopping.Token));
            }
            catch
            {
                stopping.Dispose();
                throw;
            }

            gate.Open();
            _server = server;
            _stopping = stopping;
        }
    }

    /// <summary>Stops listening: in-flight answers are cut, new connections are refused.</summary>
    public void Down()
    {
        lock (_gate)
        {
            if (_server is null)
            {
                return;
            }

            _stopping!.Cancel();
            _server.Stop();
            _server.Dispose();
            _stopping.Dispose();
            _server = null;
            _stopping = null;
            WaitUntilRefused();
        }
    }

    /// <summary>
    /// WireMock's Stop returns before its web host has let go of the port: wait (bounded) until
    /// a connection is refused, so "down" means down to whoever calls next.
    /// </summary>
    private void WaitUntilRefused() =>
        SpinWait.SpinUntil(() =>
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(5));

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Down();
            _disposed = true;
        }
    }

    private static string Host(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
