using System.Net;
using System.Text.Json;
using Simulators.Common;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Simulators.Prb;

/// <summary>
/// The Pearl River Bank (prb) partner simulator, partners.md §2, on WireMock.Net: bearer token,
/// de-duplication on endToEndId (409 DUPL), a ledger of executed transfers, and misbehaviour on
/// request (<see cref="SetBehaviour"/>, magic account numbers: see PrbBehaviours.cs). Control API:
/// <c>POST /__sim/behaviours</c> <c>{"accountNumber","mode","cd","prtry","settleCd","times"}</c>,
/// <c>DELETE /__sim/behaviours</c>, <c>GET /__sim/ledger</c>.
/// </summary>
public sealed class PrbSimulator : IDisposable
{
    private readonly PrbBank _bank;
    private readonly PrbBehaviours _behaviours = new();
    private readonly SimulatorHost _host;

    private PrbSimulator(PrbSimulatorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Token);
        if (!IPAddress.TryParse(options.BindAddress, out var bindAddress))
        {
            throw new ArgumentException($"'{options.BindAddress}' is not an IP address.", nameof(options));
        }

        _bank = new PrbBank(_behaviours, options.TimeProvider, options);
        var endpoints = new PrbEndpoints(_bank, new BearerAuth(options.Token), options.TimeProvider);
        _host = new SimulatorHost(bindAddress, options.Port, (server, run) =>
        {
            endpoints.Map(server, run);
            server.Given(Request.Create().WithPath("/__sim/behaviours").UsingPost())
                .RespondWith(Response.Create().WithCallback(request => SetBehaviourFromControl(request.BodyAsBytes)));
            server.Given(Request.Create().WithPath("/__sim/behaviours").UsingDelete())
                .RespondWith(Response.Create().WithCallback(_ =>
                {
                    ClearBehaviours();
                    return SimResponses.Text(204, "");
                }));
            server.Given(Request.Create().WithPath("/__sim/ledger").UsingGet())
                .RespondWith(Response.Create().WithCallback(_ => SimResponses.JsonBody(200, _bank.Executions())));
        });
    }

    public static PrbSimulator Start(PrbSimulatorOptions? options = null)
    {
        var simulator = new PrbSimulator(options ?? new PrbSimulatorOptions());
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

    public string Url => _host.Url;

    /// <summary>A snapshot of the executed transfers, in order of execution.</summary>
    public IReadOnlyList<PrbExecution> Executions => _bank.Executions();

    public int ExecutionCount(string endToEndId) => _bank.ExecutionCount(endToEndId);

    /// <summary>Credit-transfer requests received (authenticated and readable) for an endToEndId.</summary>
    public int RequestCount(string endToEndId) => _bank.RequestCount(endToEndId);

    public void SetBehaviour(string accountNumber, PrbBehaviour behaviour) => _behaviours.Set(accountNumber, behaviour);

    public void ClearBehaviours() => _behaviours.Clear();

    /// <summary>Refuses connections (a partner outage) until <see cref="ComeUp"/>; the books are kept.</summary>
    public void GoDown() => _host.Down();

    public void ComeUp() => _host.Up();

    /// <summary>Every request that reached the simulator, on any path (matched or not), health probes included.</summary>
    public IReadOnlyList<ReceivedRequest> Received => _host.Received;

    /// <summary>What <see cref="Received"/> holds apart from health probes (<c>GET {health path}</c>): every call that was meant for the bank.</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedCalls =>
        [.. _host.Received.Where(r => !(r.Method == "GET" && r.Path == PrbEndpoints.HealthPath))];

    public void Dispose() => _host.Dispose();

    private WireMock.ResponseMessage SetBehaviourFromControl(byte[]? body)
    {
        try
        {
            var request = JsonSerializer.Deserialize<ControlRequest>(body ?? [], SimResponses.Json);
            if (string.IsNullOrWhiteSpace(request?.AccountNumber)
                || !Enum.TryParse<PrbMode>(request.Mode ?? nameof(PrbMode.Normal), ignoreCase: true, out var mode))
            {
                return SimResponses.Text(400, $"accountNumber is required; mode one of {string.Join(", ", Enum.GetNames<PrbMode>())}");
            }

            SetBehaviour(request.AccountNumber, new PrbBehaviour(mode, request.Cd, request.Prtry, null, request.SettleCd, request.Times ?? int.MaxValue));
            return SimResponses.Text(204, "");
        }
        catch (JsonException ex)
        {
            return SimResponses.Text(400, ex.Message);
        }
    }

    private sealed record ControlRequest(string? AccountNumber, string? Mode, string? Cd, string? Prtry, string? SettleCd, int? Times);
}
