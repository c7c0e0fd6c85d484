using System.Globalization;
using Simulators.Common;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Simulators.SilkPay;

/// <summary>SilkPay's wire API (partners.md §3) as WireMock mappings, answered from its books.</summary>
internal sealed class SilkPayEndpoints(SilkPayBooks books, BearerAuth auth, TimeProvider clock)
{
    public const string HealthPath = "/v1/health";
    public const string TransfersPath = "/v1/transfers";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>What <see cref="SilkPayMode.Malformed"/> sends: JSON cut off mid-value.</summary>
    private static readonly byte[] TruncatedBody = "{\"id\":\"tr_3Qx8\",\"object\":\"transfer\",\"status\":\"pa"u8.ToArray();

    public void Map(WireMockServer server, SimulatorRun run)
    {
        server.Given(Request.Create().WithPath(HealthPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => SilkPayWire.Answer(200, new HealthReply("ok"))));
        server.Given(Request.Create().WithPath(TransfersPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(request => CreateAsync(request, run)));
        server.Given(Request.Create().WithPath(TransfersPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(List));
    }

    private async Task<IResponseMessage> CreateAsync(IRequestMessage request, SimulatorRun run)
    {
        if (!auth.IsValid(request))
        {
            return SilkPayWire.Error(401, SilkPayCodes.InvalidApiKey);
        }

        var valid = SilkPayTransferOrder.TryRead(request.BodyAsBytes, out var order, out var clientReference, out var error);
        if (!string.IsNullOrWhiteSpace(clientReference))
        {
            books.CountRequest(clientReference);
        }

        var key = BearerAuth.Header(request, IdempotencyKeyHeader);
        if (string.IsNullOrWhiteSpace(key))
        {
            return SilkPayWire.Error(400, SilkPayCodes.ParameterInvalid, "The Idempotency-Key header is required for transfers.");
        }

        if (!valid)
        {
            return SilkPayWire.Error(400, SilkPayCodes.ParameterInvalid, error);
        }

        var decision = books.Transfer(key, request.BodyAsBytes!, order!);
        if (!await run.HoldAsync(decision.Delay, clock))
        {
            // Going down mid-answer: the client sees the connection cut, as with a real outage.
            return run.Drop();
        }

        switch (decision.Delivery)
        {
            case SilkPayDelivery.Drop:
                return run.Drop();
            case SilkPayDelivery.Malformed:
                return SimResponses.Bytes(200, SimResponses.JsonContentType, TruncatedBody);
        }

        var answer = SilkPayWire.Answer(decision.Status, decision.Body);
        if (decision.RetryAfter is { } retryAfter)
        {
            answer.AddHeader("Retry-After", ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        return answer;
    }

    private IResponseMessage List(IRequestMessage request)
    {
        if (!auth.IsValid(request))
        {
            return SilkPayWire.Error(401, SilkPayCodes.InvalidApiKey);
        }

        string? clientReference = null;
        if (request.Query?.TryGetValue("client_reference", out var values) == true && values.Count == 1)
        {
            clientReference = values[0];
        }

        if (string.IsNullOrWhiteSpace(clientReference))
        {
            return SilkPayWire.Error(400, SilkPayCodes.ParameterInvalid, "client_reference is required to list transfers.");
        }

        return SilkPayWire.Answer(200, new TransferListReply("list", books.List(clientReference), HasMore: false, TransfersPath));
    }

}
