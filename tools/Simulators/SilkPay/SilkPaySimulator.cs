using System.Net;
using Simulators.Common;

namespace Simulators.SilkPay;

/// <summary>
/// The SilkPay partner simulator, partners.md §3, on WireMock.Net. It checks the bearer key,
/// honours <c>Idempotency-Key</c> (same key and body: the transfer as it stands; another body: 409
/// idempotency_key_reused; never a second execution), keeps a ledger of what it executed, and
/// misbehaves on request (<see cref="SetBehaviour"/>, magic account numbers: see SilkPayBehaviours.cs).
/// </summary>
public sealed class SilkPaySimulator : IDisposable
{
    private readonly SilkPayBooks _books;
    private readonly SilkPayBehaviours _behaviours = new();
    private readonly SimulatorHost _host;

    private SilkPaySimulator(SilkPaySimulatorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.SecretKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SlowDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SettleAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxAmount);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        if (!IPAddress.TryParse(options.BindAddress, out var bindAddress))
        {
            throw new ArgumentException($"'{options.BindAddress}' is not an IP address.", nameof(options));
        }

        _books = new SilkPayBooks(_behaviours, options.TimeProvider, options);
        var endpoints = new SilkPayEndpoints(_books, new BearerAuth(options.SecretKey), options.TimeProvider);
        var control = new SilkPayControl(_books, _behaviours);
        _host = new SimulatorHost(bindAddress, options.Port, (server, run) =>
        {
            endpoints.Map(server, run);
            control.Map(server);
        });
    }

    /// <summary>Starts a simulator (on a free loopback port unless the options name one).</summary>
    public static SilkPaySimulator Start(SilkPaySimulatorOptions? options = null)
    {
        var simulator = new SilkPaySimulator(options ?? new SilkPaySimulatorOptions());
        try
        {
            simulator._host.Up();
            return simulator;
        }
        catch
        {
            simulator.Dispose();
            throw;
        }
    }

    /// <summary>e.g. <c>http://127.0.0.1:5103</c>; the same across <see cref="GoDown"/>/<see cref="ComeUp"/>.</summary>
    public string Url => _host.Url;

    /// <summary>A snapshot of the executed transfers, in order of execution.</summary>
    public IReadOnlyList<SilkPayExecution> Executions => _books.Executions();

    /// <summary>How many times the client_reference moved money (never more than 1 under one key).</summary>
    public int ExecutionCount(string clientReference) => _books.ExecutionCount(clientReference);

    /// <summary>How many authenticated <c>POST /v1/transfers</c> requests named the client_reference.</summary>
    public int TransferRequestCount(string clientReference) => _books.RequestCount(clientReference);

    /// <summary>How transfers to a destination account number are treated; wins over magic numbers.</summary>
    public void SetBehaviour(string accountNumber, SilkPayBehaviour behaviour) => _behaviours.Set(accountNumber, behaviour);

    /// <summary>Forgets every behaviour set (magic numbers keep working).</summary>
    public void ClearBehaviours() => _behaviours.Clear();

    /// <summary>
    /// Books a paid transfer under <see cref="SilkPayHeldTransfer.ClientReference"/> as its
    /// Idempotency-Key, as if an earlier client had sent it with a differently written body: a later
    /// request under that key gets 409 idempotency_key_reused. It counts as an execution. Returns its id.
    /// </summary>
    public string Hold(SilkPayHeldTransfer transfer) => _books.Hold(transfer);

    /// <summary>Stops listening: connections are refused, answers in flight are cut.</summary>
    public void GoDown() => _host.Down();

    /// <summary>Listens again on the same port, with the same ledger, keys and behaviours.</summary>
    public void ComeUp() => _host.Up();

    /// <summary>Every request that reached the simulator, on any path (matched or not), health probes included.</summary>
    public IReadOnlyList<ReceivedRequest> Received => _host.Received;

    /// <summary>What <see cref="Received"/> holds apart from health probes (<c>GET {health path}</c>): every call that was meant for the bank.</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedCalls =>
        [.. _host.Received.Where(r => !(r.Method == "GET" && r.Path == SilkPayEndpoints.HealthPath))];

    public void Dispose() => _host.Dispose();
}
