using System.Net;
using Gateway.Tests.Fixtures;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Diagnosis;

/// <summary>
/// A ycb that echoes the account number in its <c>retMsg</c>, with bidi overrides, a forged log
/// line and far too much text: the payout's diagnosis and every log event carry it only scrubbed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HostilePartnerTextTests(RedisFixture redis, HostileYcbHarness harness) : IClassFixture<HostileYcbHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Disburse_RejectionWithHostileMessage_DiagnosisAndLogsCarryItScrubbed()
    {
        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Api.Account));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payout = await response.JsonAsync();
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("ACCOUNT_FROZEN", payout.Str("failure.cause"));

        var message = payout.Str("failure.evidence.partnerMessage");
        Assert.StartsWith("收款账户****3445已冻结 [ERR] forged line", message, StringComparison.Ordinal);
        Assert.True(message.Length <= 200, $"{message.Length} characters");
        Assert.EndsWith("…", message, StringComparison.Ordinal);
        Assert.Contains("收款账户****3445已冻结", payout.Str("failure.summary"), StringComparison.Ordinal);
        foreach (var text in new[] { message, payout.Str("failure.summary") })
        {
            Assert.DoesNotContain("0200112233", text, StringComparison.Ordinal);
            Assert.True(Gateway.Payouts.TextRules.IsText(text), $"not clean text: {text}");
        }

        await Eventually.HoldsAsync(() => _gateway.Logs.AllText().Contains("ACCOUNT_FROZEN", StringComparison.Ordinal), "no diagnosis log event");
        var logs = _gateway.Logs.AllText();
        Assert.DoesNotContain("0200112233", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("\n[ERR] forged", logs, StringComparison.Ordinal);
    }
}

/// <summary>A stub ycb whose every disbursement answer is a 1003 rejection with a hostile <c>retMsg</c>.</summary>
public sealed class HostileYcbHarness : GatewayHarness
{
    public const string HostileMessage =
        "收款账户6222020200112233445已冻结\u202E\u2066\r\n[ERR] forged line\u0000\u001B[31m";

    private WireMockServer _ycb = null!;

    protected override Dictionary<string, string?> Settings(string redisConnection) =>
        GatewayFactory.Settings(redisConnection, _ycb.Urls[0]);

    protected override void StartSimulators()
    {
        _ycb = WireMockServer.Start();
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            retCode = "1003",
            retMsg = HostileMessage + new string('很', 400),
            data = new { reqSeqNo = "any", bankSeqNo = (string?)null, txnStatus = "F" },
        });
        _ycb.Given(Request.Create().WithPath("/api/v2/disburse*").UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
    }

    protected override void StopSimulators() => _ycb.Dispose();
}
