using System.Security.Cryptography;
using System.Text;
using LoadDriver.Ledger;
using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace Load.Tests.Ledger;

/// <summary>
/// The ledger of out-of-process simulators (SimulatorsHttpLedger) counts what the in-process one (SimulatorLedger)
/// counts: executions summed over ycb, prb and SilkPay by payout id, ycb's refused resends as further executions,
/// the warm-up payouts left out; an answer that is not a simulator's ledger is an error, not zero executions.
/// </summary>
public sealed class SimulatorsHttpLedgerTests
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    [Fact]
    public void Count_SumsTheThreePartnersAndYcbRefusedResends()
    {
        var counts = SimulatorsHttpLedger.Count(
            """[{"reqSeqNo":"po_a","amount":"1.00"},{"reqSeqNo":"po_b","amount":"2.00"}]""",
            """{"po_a":2}""",
            """[{"endToEndId":"po_b","amount":2.00},{"endToEndId":"po_c","amount":3.00}]""",
            """[{"transferId":"t1","clientReference":"po_d","amountFen":400}]""",
            None);

        Assert.Equal(new Dictionary<string, int> { ["po_a"] = 3, ["po_b"] = 2, ["po_c"] = 1, ["po_d"] = 1 }, counts);
    }

    [Fact]
    public void Count_ExcludedReferences_LeftOutEverywhere()
    {
        var counts = SimulatorsHttpLedger.Count(
            """[{"reqSeqNo":"po_warm"},{"reqSeqNo":"po_run"}]""",
            """{"po_warm":1}""",
            """[{"endToEndId":"po_warm"}]""",
            """[{"clientReference":"po_warm"}]""",
            new HashSet<string> { "po_warm" });

        Assert.Equal(new Dictionary<string, int> { ["po_run"] = 1 }, counts);
    }

    [Theory]
    [InlineData("""{"reqSeqNo":"po_a"}""", "{}", "[]", "[]")]
    [InlineData("""[{"payeeAcctNo":"1"}]""", "{}", "[]", "[]")]
    [InlineData("[]", """{"po_a":"two"}""", "[]", "[]")]
    [InlineData("[]", "{}", """[{"reqSeqNo":"po_a"}]""", "[]")]
    [InlineData("[]", "{}", "[]", "not json")]
    public void Count_NotASimulatorAnswer_Throws(string ycb, string refused, string prb, string silkPay)
    {
        Assert.Throws<FormatException>(() => SimulatorsHttpLedger.Count(ycb, refused, prb, silkPay, None));
    }

    [Fact]
    public async Task ExecutionCounts_OverHttp_EqualTheInProcessLedger_ResendCountsTwice()
    {
        var options = new YcbSimulatorOptions();
        using var ycb = YcbSimulator.Start(options);
        using var prb = PrbSimulator.Start();
        using var silkPay = SilkPaySimulator.Start();
        using var http = new HttpClient { BaseAddress = new Uri(ycb.Url) };
        const string paid = """{"reqSeqNo":"po_http_1","payeeAcctNo":"6222000011112222333","payeeName":"Load Test","payeeBankCode":"ICBC","amount":"12.34","currency":"CNY"}""";
        const string other = """{"reqSeqNo":"po_http_2","payeeAcctNo":"6222000011112222334","payeeName":"Load Test","payeeBankCode":"ICBC","amount":"1.00","currency":"CNY"}""";
        await SendAsync(http, options, paid);
        await SendAsync(http, options, paid);
        await SendAsync(http, options, other);
        using var overHttp = new SimulatorsHttpLedger(new Uri(ycb.Url), new Uri(prb.Url), new Uri(silkPay.Url));

        var counts = await overHttp.ExecutionCountsAsync(CancellationToken.None);
        var inProcess = await new SimulatorLedger(ycb, prb, silkPay).ExecutionCountsAsync(CancellationToken.None);

        Assert.Equal(2, counts["po_http_1"]);
        Assert.Equal(1, counts["po_http_2"]);
        Assert.Equal(inProcess.OrderBy(p => p.Key, StringComparer.Ordinal), counts.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static async Task SendAsync(HttpClient http, YcbSimulatorOptions options, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/disburse") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-YCB-AppId", options.AppId);
        request.Headers.Add("X-YCB-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.AppSecret), Encoding.UTF8.GetBytes(body))));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
