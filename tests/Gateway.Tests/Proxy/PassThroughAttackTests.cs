using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// The pass-through as an attacker with a valid client key would try it: every money-moving call
/// of the three partners, and the allowed calls bent by method, encoding, dot segments, slashes,
/// case, parameters, queries, absolute targets and Host tricks, written byte for byte to the
/// gateway's real port. Each is refused (403, or 400/404 where Kestrel or routing refuses it first)
/// and no partner receives anything at all.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PassThroughAttackTests(RedisFixture redis, PassThroughHarness harness) : IClassFixture<PassThroughHarness>
{
    private readonly KestrelGateway _gateway = harness.Gateway(redis);

    /// <summary>A disbursement any partner would execute if it arrived signed.</summary>
    private static readonly byte[] Payment = Encoding.UTF8.GetBytes(
        """{"reqSeqNo":"po_attack","amount":"9999.00","currency":"CNY","payeeAcctNo":"6222020200112233445","payeeName":"Mallory","bankCode":"ICBC","msgId":"m1","endToEndId":"po_attack","instdAmt":{"ccy":"CNY","value":"9999.00"},"amount_fen":999900,"client_reference":"po_attack"}""");

    public static TheoryData<string, string, string?> Attacks => new()
    {
        // ycb: the disbursement and its inquiry, straight.
        { "POST", "/partners/ycb/api/v2/disburse", null },
        { "GET", "/partners/ycb/api/v2/disburse/po_x", null },
        { "PUT", "/partners/ycb/api/v2/disburse", null },
        // ycb: the allowed GET with other methods, the allowed POST with GET.
        { "POST", "/partners/ycb/api/v2/accounts/balance", null },
        { "PUT", "/partners/ycb/api/v2/accounts/balance", null },
        { "DELETE", "/partners/ycb/api/v2/accounts/balance", null },
        { "PATCH", "/partners/ycb/api/v2/accounts/balance", null },
        { "HEAD", "/partners/ycb/api/v2/accounts/balance", null },
        { "OPTIONS", "/partners/ycb/api/v2/accounts/balance", null },
        { "get", "/partners/ycb/api/v2/accounts/balance", null },
        { "GET", "/partners/ycb/api/v2/accounts/verify", null },
        { "PUT", "/partners/ycb/api/v2/accounts/verify", null },
        // ycb: dot segments from an allowed path to the disbursement.
        { "POST", "/partners/ycb/api/v2/accounts/verify/../../disburse", null },
        { "POST", "/partners/ycb/api/v2/accounts/../disburse", null },
        { "POST", "/partners/ycb/api/v2/accounts/%2e%2e/disburse", null },
        { "POST", "/partners/ycb/api/v2/accounts/%2E%2E/disburse", null },
        { "POST", "/partners/ycb/api/v2/accounts/.%2e/disburse", null },
        { "POST", "/partners/ycb/./api/v2/disburse", null },
        { "POST", "/partners/ycb/api/v2/accounts/verify/..%2f..%2fdisburse", null },
        { "POST", "/partners/ycb/api/v2/accounts/verify/..%5c..%5cdisburse", null },
        { "GET", "/partners/ycb/api/v2/accounts/balance/../../disburse/po_x", null },
        // ycb: dot segments and escapes that normalise to an allowed path still do not match it.
        { "POST", "/partners/ycb/api/v2/disburse/../accounts/verify", null },
        { "POST", "/partners/ycb/%2e/api/v2/accounts/verify", null },
        { "GET", "/partners/ycb/api/v2/accounts/./balance", null },
        { "GET", "/partners/ycb/api/v2/accounts/b%61lance", null },
        // ycb: encoded slashes and backslashes.
        { "POST", "/partners/ycb/api/v2%2Fdisburse", null },
        { "POST", "/partners/ycb/api%2Fv2%2Fdisburse", null },
        { "POST", "/partners/ycb/api/v2%5Cdisburse", null },
        { "POST", "/partners/ycb/api\\v2\\disburse", null },
        { "POST", "/partners/ycb/api/v2/accounts%2Fverify", null },
        // ycb: double slashes, trailing slashes, case, parameters, queries.
        { "POST", "/partners/ycb//api/v2/disburse", null },
        { "POST", "/partners/ycb/api//v2/disburse", null },
        { "POST", "//partners/ycb/api/v2/disburse", null },
        { "POST", "/partners/ycb/api/v2/disburse/", null },
        { "POST", "/partners/ycb/api/v2/accounts/verify/", null },
        { "GET", "/partners/ycb/api/v2/accounts/balance/", null },
        { "GET", "/partners/ycb/api/v2/accounts//balance", null },
        { "POST", "/partners/ycb/API/V2/DISBURSE", null },
        { "POST", "/partners/YCB/api/v2/accounts/verify", null },
        { "GET", "/partners/ycb/api/v2/accounts/BALANCE", null },
        { "POST", "/partners/ycb/api/v2/disburse;x=1", null },
        { "POST", "/partners/ycb/api/v2/accounts/verify;/../../disburse", null },
        { "GET", "/partners/ycb/api/v2/accounts/balance;jsessionid=1", null },
        { "GET", "/partners/ycb/api/v2/accounts/balance?path=/api/v2/disburse", null },
        { "GET", "/partners/ycb/api/v2/accounts/balance?", null },
        { "POST", "/partners/ycb/api/v2/accounts/verify?x=1", null },
        { "POST", "/partners/ycb/api/v2/accounts/verify%00", null },
        { "POST", "/partners/ycb/api/v2/accounts/verify%20", null },
        // ycb: absolute-form targets and Host tricks.
        { "POST", "http://{ycb}/partners/ycb/api/v2/disburse", null },
        { "POST", "http://{ycb}/api/v2/disburse", null },
        { "GET", "http://evil.example/partners/ycb/api/v2/accounts/balance", null },
        { "POST", "http://{gw}/partners/ycb/api/v2/disburse", null },
        { "GET", "http://{gw}/partners/ycb/api/v2/accounts/balance", null },
        { "POST", "http://{gw}/partners/ycb/api/v2/accounts/verify", null },
        { "POST", "/partners/ycb/api/v2/disburse", "{ycb}" },
        { "POST", "/api/v2/disburse", "{ycb}" },
        { "POST", "/partners/ycb/api/v2/accounts/../disburse", "{ycb}" },
        // prb: the credit transfer and its status, straight and bent.
        { "POST", "/partners/prb/iso20022/v1/credit-transfers", null },
        { "GET", "/partners/prb/iso20022/v1/credit-transfers/po_x", null },
        { "POST", "/partners/prb/iso20022/v1/accounts/settlement/balance", null },
        { "PUT", "/partners/prb/iso20022/v1/accounts/settlement/balance", null },
        { "POST", "/partners/prb/iso20022/v1/accounts/settlement/balance/../../../credit-transfers", null },
        { "POST", "/partners/prb/iso20022/v1/accounts/%2e%2e/credit-transfers", null },
        { "POST", "/partners/prb/iso20022/v1%2Fcredit-transfers", null },
        { "POST", "/partners/prb/iso20022/v1%5Ccredit-transfers", null },
        { "POST", "/partners/prb//iso20022/v1/credit-transfers", null },
        { "POST", "/partners/prb/iso20022/v1/credit-transfers/", null },
        { "POST", "/partners/PRB/iso20022/v1/credit-transfers", null },
        { "POST", "/partners/prb/iso20022/v1/credit-transfers;a=b", null },
        { "GET", "/partners/prb/iso20022/v1/accounts/settlement/balance/", null },
        { "GET", "/partners/prb/ISO20022/v1/accounts/settlement/balance", null },
        { "GET", "/partners/prb/iso20022/v1/accounts/settlement/balance?x=1", null },
        { "POST", "http://{prb}/iso20022/v1/credit-transfers", null },
        { "POST", "/partners/prb/iso20022/v1/credit-transfers", "{prb}" },
        // silkpay: no pass-through at all.
        { "POST", "/partners/silkpay/v1/transfers", null },
        { "GET", "/partners/silkpay/v1/transfers", null },
        { "GET", "/partners/silkpay/v1/health", null },
        { "POST", "/partners/silkpay/v1/transfers/../transfers", null },
        { "POST", "/partners/silkpay/v1%2Ftransfers", null },
        { "POST", "/partners/silkpay//v1/transfers", null },
        { "POST", "/partners/silkpay/v1/transfers/", null },
        { "POST", "/partners/SilkPay/v1/transfers", null },
        { "POST", "/partners/silkpay/v1/transfers;x", null },
        { "POST", "http://{silkpay}/v1/transfers", null },
        { "POST", "/partners/silkpay/v1/transfers", "{silkpay}" },
        // Cross-partner: another partner's money path under an allowed partner's prefix.
        { "POST", "/partners/ycb/api/v2/accounts/verify/../../../../prb/iso20022/v1/credit-transfers", null },
        { "POST", "/partners/prb/iso20022/v1/accounts/settlement/balance/../../../../../silkpay/v1/transfers", null },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_IsRefusedAndNoPartnerReceivesAnything(string method, string target, string? host)
    {
        var before = harness.CallsReceived();
        var executions = (harness.Ycb.Executions.Count, harness.Prb.Executions.Count, harness.SilkPay.Executions.Count);
        var hasBody = method is "POST" or "PUT" or "PATCH";

        var answer = await RawHttp.SendAsync(_gateway.Url, method, Expand(target), Expand(host ?? "{gw}"),
            [("X-Api-Key", GatewayFactory.KeyA), ("Content-Type", "application/json"), ("Accept", "application/json")],
            hasBody ? Payment : null);

        Assert.True(answer.Status is 400 or 403 or 404,
            $"{method} {target} (Host {host ?? "gateway"}) answered {answer.Status}, expected a refusal\n{answer.Head}\n{answer.Body}");
        if (answer.Status == 403 && method != "HEAD")
        {
            // A HEAD answer has no body to name the problem in.
            Assert.Contains("/passthrough-not-allowed", answer.Body, StringComparison.Ordinal);
        }

        Assert.Equal(before, harness.CallsReceived());
        Assert.Equal(executions, (harness.Ycb.Executions.Count, harness.Prb.Executions.Count, harness.SilkPay.Executions.Count));
    }

    /// <summary>The corpus is not refused because nothing works: the allowed calls, sent the same way, reach the partner at exactly their path.</summary>
    [Theory]
    [InlineData("GET", "/partners/ycb/api/v2/accounts/balance", "ycb", "/api/v2/accounts/balance")]
    [InlineData("POST", "/partners/ycb/api/v2/accounts/verify", "ycb", "/api/v2/accounts/verify")]
    [InlineData("GET", "/partners/prb/iso20022/v1/accounts/settlement/balance", "prb", "/iso20022/v1/accounts/settlement/balance")]
    public async Task AllowedCall_SentTheSameWay_ReachesThePartnerAtExactlyItsPath(string method, string target, string partner, string received)
    {
        var simulator = partner == "ycb" ? (Func<IReadOnlyList<Simulators.Common.ReceivedRequest>>)(() => harness.Ycb.ReceivedCalls) : () => harness.Prb.ReceivedCalls;
        var before = simulator().Count;
        var body = method == "POST" ? Encoding.UTF8.GetBytes("""{"acctNo":"6222020200112233445","acctName":"张三"}""") : null;

        var answer = await RawHttp.SendAsync(_gateway.Url, method, target, _gateway.Url.Authority,
            [("X-Api-Key", GatewayFactory.KeyA), ("Content-Type", "application/json"), ("Accept", "application/json")], body);

        Assert.Equal(200, answer.Status);
        var call = Assert.Single(simulator().Skip(before));
        Assert.Equal(method, call.Method);
        Assert.Equal(received, call.RawTarget);
    }

    private string Expand(string text) => text
        .Replace("{gw}", _gateway.Url.Authority, StringComparison.Ordinal)
        .Replace("{ycb}", new Uri(harness.Ycb.Url).Authority, StringComparison.Ordinal)
        .Replace("{prb}", new Uri(harness.Prb.Url).Authority, StringComparison.Ordinal)
        .Replace("{silkpay}", new Uri(harness.SilkPay.Url).Authority, StringComparison.Ordinal);
}
