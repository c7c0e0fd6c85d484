using System.Text.Json;
using Simulators.Common;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Simulators.SilkPay;

/// <summary>
/// Unauthenticated control API for the sandbox and manual use:
/// <c>POST /__sim/behaviours</c> <c>{"accountNumber","mode","failureCode","httpStatus","errorCode","delayMs","retryAfterSeconds","pendingStatus","times"}</c>,
/// <c>DELETE /__sim/behaviours</c>, <c>GET /__sim/ledger</c> (the executed transfers, amounts in fen).
/// </summary>
internal sealed class SilkPayControl(SilkPayBooks books, SilkPayBehaviours behaviours)
{
    public const string BehavioursPath = "/__sim/behaviours";
    public const string LedgerPath = "/__sim/ledger";

    public void Map(WireMockServer server)
    {
        server.Given(Request.Create().WithPath(BehavioursPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(SetBehaviour));
        server.Given(Request.Create().WithPath(BehavioursPath).UsingDelete())
            .RespondWith(Response.Create().WithCallback(_ => ClearBehaviours()));
        server.Given(Request.Create().WithPath(LedgerPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => SimResponses.JsonBody(200, books.Executions())));
    }

    private IResponseMessage SetBehaviour(IRequestMessage request)
    {
        BehaviourRequest? body;
        try
        {
            body = JsonSerializer.Deserialize<BehaviourRequest>(request.BodyAsBytes ?? [], SimResponses.Json);
        }
        catch (JsonException ex)
        {
            return Problem($"body is not a behaviour: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(body?.AccountNumber))
        {
            return Problem("accountNumber is required");
        }

        var mode = SilkPayMode.Normal;
        if (body.Mode is not null
            && (!Enum.TryParse(body.Mode, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || int.TryParse(body.Mode, out _)))
        {
            return Problem($"mode must be one of {string.Join(", ", Enum.GetNames<SilkPayMode>())}");
        }

        if (body.DelayMs is < 0 || body.Times is < 0 || body.RetryAfterSeconds is < 0)
        {
            return Problem("delayMs, retryAfterSeconds and times must not be negative");
        }

        if (body.HttpStatus is { } status && (status < 400 || status > 599))
        {
            return Problem("httpStatus must be a 4xx or 5xx status");
        }

        if (body.PendingStatus is not (null or SilkPayCodes.Pending or SilkPayCodes.InTransit))
        {
            return Problem("pendingStatus must be pending or in_transit");
        }

        var behaviour = new SilkPayBehaviour(
            mode,
            body.FailureCode,
            body.HttpStatus,
            body.ErrorCode,
            body.DelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            body.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            body.PendingStatus,
            body.Times ?? int.MaxValue);
        behaviours.Set(body.AccountNumber, behaviour);
        return SimResponses.JsonBody(200, body with { Mode = mode.ToString(), Times = behaviour.Times });
    }

    private ResponseMessage ClearBehaviours()
    {
        behaviours.Clear();
        return new ResponseMessage { StatusCode = 204 };
    }

    private static ResponseMessage Problem(string error) => SimResponses.JsonBody(400, new ControlError(error));

    private sealed record BehaviourRequest(
        string? AccountNumber, string? Mode, string? FailureCode, int? HttpStatus, string? ErrorCode,
        long? DelayMs, long? RetryAfterSeconds, string? PendingStatus, int? Times);

    private sealed record ControlError(string Error);
}
