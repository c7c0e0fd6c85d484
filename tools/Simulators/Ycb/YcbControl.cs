using System.Globalization;
using System.Text.Json;
using Simulators.Common;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Simulators.Ycb;

/// <summary>
/// Unsigned control API for the sandbox and manual use:
/// <c>POST /__sim/behaviours</c> <c>{"accountNumber","mode","retCode","delayMs","settleRetCode","times"}</c>,
/// <c>DELETE /__sim/behaviours</c>, <c>GET /__sim/ledger</c> (the executed payments),
/// <c>GET /__sim/ledger/refused-resends</c> (per reqSeqNo, the sends refused by the de-dup while the
/// reference was executed or processing: <c>{"po_…": 1}</c>; what the load checks count as further executions).
/// </summary>
internal sealed class YcbControl(YcbBank bank, YcbBehaviours behaviours)
{
    public const string BehavioursPath = "/__sim/behaviours";
    public const string LedgerPath = "/__sim/ledger";
    public const string RefusedResendsPath = "/__sim/ledger/refused-resends";

    public void Map(WireMockServer server)
    {
        server.Given(Request.Create().WithPath(BehavioursPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(SetBehaviour));
        server.Given(Request.Create().WithPath(BehavioursPath).UsingDelete())
            .RespondWith(Response.Create().WithCallback(_ => ClearBehaviours()));
        server.Given(Request.Create().WithPath(LedgerPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => Ledger()));
        server.Given(Request.Create().WithPath(RefusedResendsPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => SimResponses.JsonBody(200, bank.RefusedResends())));
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

        var mode = YcbMode.Normal;
        if (body.Mode is not null
            && (!Enum.TryParse(body.Mode, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || int.TryParse(body.Mode, out _)))
        {
            return Problem($"mode must be one of {string.Join(", ", Enum.GetNames<YcbMode>())}");
        }

        if (body.DelayMs is < 0 || body.Times is < 0)
        {
            return Problem("delayMs and times must not be negative");
        }

        var behaviour = new YcbBehaviour(
            mode,
            body.RetCode,
            body.DelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            body.SettleRetCode,
            body.Times ?? int.MaxValue);
        behaviours.Set(body.AccountNumber, behaviour);
        return SimResponses.JsonBody(200, new BehaviourRequest(
            body.AccountNumber, mode.ToString(), behaviour.RetCode, body.DelayMs, behaviour.SettleRetCode, behaviour.Times));
    }

    private ResponseMessage ClearBehaviours()
    {
        behaviours.Clear();
        return new ResponseMessage { StatusCode = 204 };
    }

    private ResponseMessage Ledger() => SimResponses.JsonBody(200, bank.Executions()
        .Select(e => new LedgerLine(
            e.ReqSeqNo, e.PayeeAcctNo, e.PayeeName, e.PayeeBankCode,
            e.Amount.ToString("0.00", CultureInfo.InvariantCulture), e.BankSeqNo, e.At))
        .ToList());

    private static ResponseMessage Problem(string error) => SimResponses.JsonBody(400, new ControlError(error));

    private sealed record BehaviourRequest(
        string? AccountNumber, string? Mode, string? RetCode, long? DelayMs, string? SettleRetCode, int? Times);

    /// <summary>An executed payment; the amount as ycb writes amounts (two decimals, a string).</summary>
    private sealed record LedgerLine(
        string ReqSeqNo, string PayeeAcctNo, string PayeeName, string PayeeBankCode, string Amount, string BankSeqNo, DateTimeOffset At);

    private sealed record ControlError(string Error);
}
