using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Simulators.Common;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Simulators.Prb;

/// <summary>prb's wire API (partners.md §2) as WireMock mappings, answered from the bank's books.</summary>
internal sealed partial class PrbEndpoints(PrbBank bank, BearerAuth auth, TimeProvider clock)
{
    public const string HealthPath = "/iso20022/v1/health";
    public const string TransfersPath = "/iso20022/v1/credit-transfers";
    public const string BalancePath = "/iso20022/v1/accounts/settlement/balance";

    private static readonly byte[] TruncatedBody = "{\"orgnlEndToEndId\":\"po_"u8.ToArray();

    public void Map(WireMockServer server, SimulatorRun run)
    {
        server.Given(Request.Create().WithPath(HealthPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => SimResponses.JsonBody(200, new PrbHealthReply("UP"))));
        server.Given(Request.Create().WithPath(TransfersPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(request => TransferAsync(request, run)));
        server.Given(Request.Create().WithPath((Func<string, bool>)(p => StatusPath().IsMatch(p))).UsingGet())
            .RespondWith(Response.Create().WithCallback(Status));
        server.Given(Request.Create().WithPath(BalancePath).UsingGet())
            .RespondWith(Response.Create().WithCallback(request => auth.IsValid(request)
                ? SimResponses.JsonBody(200, new PrbBalanceReply("CNY", "830000.00"))
                : Unauthorized()));
    }

    private async Task<IResponseMessage> TransferAsync(IRequestMessage request, SimulatorRun run)
    {
        if (!auth.IsValid(request))
        {
            return Unauthorized();
        }

        if (Read(request.BodyAsBytes) is not { } order)
        {
            return SimResponses.JsonBody(400, new PrbErrorReply("FF01", "the message cannot be read as a credit transfer"));
        }

        bank.CountRequest(order.EndToEndId);
        var decision = bank.Order(order);
        if (!await run.HoldAsync(decision.Delay, clock))
        {
            // Going down mid-answer: the client sees the connection cut, as with a real outage.
            return run.Drop();
        }

        switch (decision.Delivery)
        {
            case PrbDelivery.Drop:
                return run.Drop();
            case PrbDelivery.Malformed:
                return SimResponses.Bytes(200, SimResponses.JsonContentType, TruncatedBody);
        }

        var answer = SimResponses.JsonBody(decision.Status, decision.Body);
        if (decision.RetryAfterSeconds is { } seconds)
        {
            answer.AddHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        return answer;
    }

    private IResponseMessage Status(IRequestMessage request)
    {
        if (!auth.IsValid(request))
        {
            return Unauthorized();
        }

        var endToEndId = Uri.UnescapeDataString(StatusPath().Match(request.Path).Groups[1].Value);
        return bank.Status(endToEndId) is { } report
            ? SimResponses.JsonBody(200, report)
            : SimResponses.JsonBody(404, new PrbErrorReply("NOT_FOUND", "no such endToEndId"));
    }

    private static PrbOrder? Read(byte[]? body)
    {
        try
        {
            var request = JsonSerializer.Deserialize<PrbTransferRequest>(body ?? [], SimResponses.Json);
            return request is
            {
                MsgId: { Length: > 0 } msgId,
                EndToEndId: { Length: > 0 and <= 35 } endToEndId,
                InstdAmt: { Ccy: { Length: 3 } ccy, Value: { } value },
                CdtrAcct.Id: { Length: > 0 } account,
                Cdtr.Nm: { Length: > 0 },
            } && decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0
                ? new PrbOrder(msgId, endToEndId, amount, ccy, account)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ResponseMessage Unauthorized() => SimResponses.JsonBody(401, new PrbErrorReply("UNAUTHORIZED", "bearer token rejected"));


    [GeneratedRegex("^/iso20022/v1/credit-transfers/([^/]+)/status$")]
    private static partial Regex StatusPath();
}
