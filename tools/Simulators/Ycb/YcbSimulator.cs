using System.Net;
using Simulators.Common;

namespace Simulators.Ycb;

/// <summary>
/// The Yangtze Commercial Bank (ycb) partner simulator, partners.md §1, on WireMock.Net.
/// It signs-checks, de-duplicates on <c>reqSeqNo</c>, keeps a ledger of what it executed and
/// misbehaves on request (<see cref="SetBehaviour"/>, magic account numbers: see YcbBehaviours.cs).
/// </summary>
public sealed class YcbSimulator : IDisposable
{
    private readonly YcbBank _bank;
    private readonly YcbBehaviours _behaviours = new();
    private readonly SimulatorHost _host;
    private readonly YcbEndpoints _endpoints;

    private YcbSimulator(YcbSimulatorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.AppId);
        ArgumentException.ThrowIfNullOrEmpty(options.AppSecret);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SlowDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SettleAfter, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        if (!IPAddress.TryParse(options.BindAddress, out var bindAddress))
        {
            throw new ArgumentException($"'{options.BindAddress}' is not an IP address.", nameof(options));
        }

        _bank = new YcbBank(_behaviours, options.TimeProvider, options.SettleAfter, options.SlowDelay);
        var endpoints = _endpoints = new YcbEndpoints(_bank, _behaviours, new YcbSignature(options.AppId, options.AppSecret), options.TimeProvider);
        var control = new YcbControl(_bank, _behaviours);
        _host = new SimulatorHost(bindAddress, options.Port, (server, run) =>
        {
            endpoints.Map(server, run);
            control.Map(server);
        });
    }

    /// <summary>Starts a simulator (on a free loopback port unless the options name one).</summary>
    public static YcbSimulator Start(YcbSimulatorOptions? options = null)
    {
        var simulator = new YcbSimulator(options ?? new YcbSimulatorOptions());
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

    /// <summary>e.g. <c>http://127.0.0.1:5101</c>; the same across <see cref="GoDown"/>/<see cref="ComeUp"/>.</summary>
    public string Url => _host.Url;

    /// <summary>Pass-through calls (balance, verify) received, with the names of their headers.</summary>
    public IReadOnlyList<YcbPassThroughCall> PassThroughCalls => [.. _endpoints.PassThroughCalls];

    /// <summary>A snapshot of the executed payments, in order of execution.</summary>
    public IReadOnlyList<YcbExecution> Executions => _bank.Executions();

    /// <summary>How many times the reference moved money (never more than 1).</summary>
    public int ExecutionCount(string reqSeqNo) => _bank.ExecutionCount(reqSeqNo);

    /// <summary>How many correctly signed <c>POST /api/v2/disburse</c> requests carried the reference.</summary>
    public int DisburseRequestCount(string reqSeqNo) => _bank.RequestCount(reqSeqNo);

    /// <summary>Per reference, the sends refused as duplicates while it was executed or processing (a partner without de-dup would have paid again).</summary>
    public IReadOnlyDictionary<string, int> RefusedResends => _bank.RefusedResends();

    /// <summary>How disbursements to a beneficiary account number are treated; wins over magic numbers.</summary>
    public void SetBehaviour(string accountNumber, YcbBehaviour behaviour) => _behaviours.Set(accountNumber, behaviour);

    /// <summary>Forgets every behaviour set (magic numbers keep working).</summary>
    public void ClearBehaviours() => _behaviours.Clear();

    /// <summary>Stops listening: connections are refused, answers in flight are cut.</summary>
    public void GoDown() => _host.Down();

    /// <summary>Listens again on the same port, with the same ledger, references and behaviours.</summary>
    public void ComeUp() => _host.Up();

    /// <summary>Every request that reached the simulator, on any path (matched or not), health probes included.</summary>
    public IReadOnlyList<ReceivedRequest> Received => _host.Received;

    /// <summary>What <see cref="Received"/> holds apart from health probes (<c>GET {health path}</c>): every call that was meant for the bank.</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedCalls =>
        [.. _host.Received.Where(r => !(r.Method == "GET" && r.Path == YcbEndpoints.HealthPath))];

    public void Dispose() => _host.Dispose();
}
