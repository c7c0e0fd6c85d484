using System.Security.Cryptography;
using System.Text;
using LoadDriver.Ledger;
using Simulators.Ycb;

namespace Load.Tests.Instances;

/// <summary>
/// The ledger the checks read is not de-duplicated: a second send of a reference the simulator
/// already paid (refused by its de-dup, as two gateway instances sending one payout would be)
/// still counts as a second execution, so "no payout executed twice" fails on it.
/// </summary>
public sealed class SimulatorLedgerTests
{
    [Fact]
    public async Task ExecutionCounts_ResendOfAPaidReference_CountsTwice()
    {
        var options = new YcbSimulatorOptions();
        using var ycb = YcbSimulator.Start(options);
        using var http = new HttpClient { BaseAddress = new Uri(ycb.Url) };
        const string body = """{"reqSeqNo":"po_resend_1","payeeAcctNo":"6222000011112222333","payeeName":"Load Test","payeeBankCode":"ICBC","amount":"12.34","currency":"CNY"}""";

        await SendAsync(http, options, body);
        var once = await new SimulatorLedger(ycb).ExecutionCountsAsync(CancellationToken.None);
        await SendAsync(http, options, body);
        var twice = await new SimulatorLedger(ycb).ExecutionCountsAsync(CancellationToken.None);

        Assert.Equal(1, once["po_resend_1"]);
        Assert.Equal(1, ycb.ExecutionCount("po_resend_1"));
        Assert.Equal(2, twice["po_resend_1"]);
    }

    [Fact]
    public async Task ExecutionCounts_ExcludedReference_LeftOut()
    {
        var options = new YcbSimulatorOptions();
        using var ycb = YcbSimulator.Start(options);
        using var http = new HttpClient { BaseAddress = new Uri(ycb.Url) };
        await SendAsync(http, options, """{"reqSeqNo":"po_warmup_1","payeeAcctNo":"6222000011112222333","payeeName":"Load Test","payeeBankCode":"ICBC","amount":"1.00","currency":"CNY"}""");
        await SendAsync(http, options, """{"reqSeqNo":"po_run_1","payeeAcctNo":"6222000011112222334","payeeName":"Load Test","payeeBankCode":"ICBC","amount":"1.00","currency":"CNY"}""");

        var counts = await new SimulatorLedger(ycb, null, null) { Excluded = new HashSet<string> { "po_warmup_1" } }.ExecutionCountsAsync(CancellationToken.None);

        Assert.Equal(new Dictionary<string, int> { ["po_run_1"] = 1 }, counts);
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
