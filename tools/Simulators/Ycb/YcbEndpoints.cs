using System.Text.Json;
using Simulators.Common;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Simulators.Ycb;

/// <summary>A pass-through call as the bank received it: the path and the names of the headers sent.</summary>
public sealed record YcbPassThroughCall(string Path, IReadOnlyList<string> HeaderNames);

/// <summary>ycb's wire API (partners.md §1) as WireMock mappings, answered from the bank's books.</summary>
internal sealed class YcbEndpoints(YcbBank bank, YcbBehaviours behaviours, YcbSignature signature, TimeProvider clock)
{
    public const string HealthPath = "/api/v2/health";
    public const string DisbursePath = "/api/v2/disburse";
    public const string BalancePath = "/api/v2/accounts/balance";
    public const string VerifyPath = "/api/v2/accounts/verify";

    /// <summary>What <see cref="YcbMode.Malformed"/> sends: JSON cut off mid-value.</summary>
    private static readonly byte[] TruncatedBody = "{\"retCode\":\"00"u8.ToArray();

    public void Map(WireMockServer server, SimulatorRun run)
    {
        server.Given(Request.Create().WithPath(HealthPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => Json(YcbReply.Of(YcbCodes.Success))));
        server.Given(Request.Create().WithPath(DisbursePath).UsingPost())
            .RespondWith(Response.Create().WithCallback(request => DisburseAsync(request, run)));
        server.Given(Request.Create().WithPath((Func<string, bool>)IsInquiryPath).UsingGet())
            .RespondWith(Response.Create().WithCallback(Inquire));
        server.Given(Request.Create().WithPath(BalancePath).UsingGet())
            .RespondWith(Response.Create().WithCallback(Balance));
        server.Given(Request.Create().WithPath(VerifyPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(Verify));
    }

    private async Task<IResponseMessage> DisburseAsync(IRequestMessage request, SimulatorRun run)
    {
        if (!signature.IsValidForBody(request))
        {
            return Json(YcbReply.Of(YcbCodes.BadSignature));
        }

        if (!YcbDisburseOrder.TryRead(request.BodyAsBytes, out var order, out var reqSeqNo, out var error))
        {
            if (!string.IsNullOrEmpty(reqSeqNo))
            {
                bank.CountRequest(reqSeqNo);
            }

            return BadRequest(error);
        }

        bank.CountRequest(order!.ReqSeqNo);
        var decision = bank.Disburse(order);
        if (!await run.HoldAsync(decision.Delay, clock))
        {
            // Going down mid-answer: the client sees the connection cut, as with a real outage.
            return run.Drop();
        }

        return decision.Delivery switch
        {
            YcbDelivery.Drop => run.Drop(),
            YcbDelivery.Malformed => SimResponses.Bytes(200, SimResponses.JsonContentType, TruncatedBody),
            YcbDelivery.ServerError => SimResponses.Text(500, "Internal Server Error"),
            _ => Json(decision.Reply!),
        };
    }

    private IResponseMessage Inquire(IRequestMessage request)
    {
        if (!signature.IsValidForPath(request))
        {
            return Json(YcbReply.Of(YcbCodes.BadSignature));
        }

        return Json(bank.Inquire(request.PathSegments[^1]));
    }

    /// <summary>Every pass-through call received (balance, verify): its path and header names, for tests.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<YcbPassThroughCall> PassThroughCalls { get; } = new();

    private void Note(IRequestMessage request) =>
        PassThroughCalls.Enqueue(new YcbPassThroughCall(request.Path, request.Headers is { } headers ? [.. headers.Keys] : []));

    /// <summary>
    /// The balance, with the session cookie and server banner ycb's gateway adds to its answers
    /// (the gateway's pass-through must not hand either to its callers).
    /// </summary>
    private IResponseMessage Balance(IRequestMessage request)
    {
        if (!(Noted(request) && signature.IsValidForPath(request)))
        {
            return Json(YcbReply.Of(YcbCodes.BadSignature));
        }

        var answer = SimResponses.JsonBody(200, new YcbBalanceReply(YcbCodes.Success, new YcbBalance("1250000.00", "CNY")));
        answer.AddHeader("Set-Cookie", SessionCookie);
        answer.AddHeader("Server", ServerBanner);
        return answer;
    }

    public const string SessionCookie = "YCBSESSION=4f2a9c; Path=/; HttpOnly";

    public const string ServerBanner = "ycb-gateway/2.4";

    private bool Noted(IRequestMessage request)
    {
        Note(request);
        return true;
    }

    private IResponseMessage Verify(IRequestMessage request)
    {
        Note(request);
        if (!signature.IsValidForBody(request))
        {
            return Json(YcbReply.Of(YcbCodes.BadSignature));
        }

        YcbVerifyRequest? verify;
        try
        {
            verify = JsonSerializer.Deserialize<YcbVerifyRequest>(request.BodyAsBytes ?? [], SimResponses.Json);
        }
        catch (JsonException)
        {
            verify = null;
        }

        if (string.IsNullOrWhiteSpace(verify?.AcctNo) || string.IsNullOrWhiteSpace(verify.AcctName))
        {
            return BadRequest("acctNo and acctName are required strings");
        }

        var code = behaviours.Peek(verify.AcctNo).RetCode;
        return code is not null && YcbCodes.IsVerifyCode(code)
            ? Json(YcbReply.Of(code))
            : SimResponses.JsonBody(200, new YcbVerifyReply(YcbCodes.Success, new YcbVerifyResult(Match: true)));
    }

    /// <summary>
    /// A request that breaks the contract (partners.md defines no code for it): 9999 with a
    /// <c>detail</c> naming the problem; nothing executed, nothing kept.
    /// </summary>
    private static ResponseMessage BadRequest(string detail) =>
        SimResponses.JsonBody(200, new YcbErrorReply(YcbCodes.SystemError, YcbCodes.Message(YcbCodes.SystemError), detail));


    private static ResponseMessage Json(YcbReply reply) => SimResponses.JsonBody(200, reply);

    /// <summary><c>/api/v2/disburse/{reqSeqNo}</c>: exactly one non-empty segment after the prefix.</summary>
    private static bool IsInquiryPath(string path) =>
        path.StartsWith(DisbursePath + "/", StringComparison.Ordinal)
        && path.Length > DisbursePath.Length + 1
        && path.IndexOf('/', DisbursePath.Length + 1) < 0;
}
