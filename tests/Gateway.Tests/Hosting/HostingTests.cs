using System.Net;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Hosting;

[Collection(GatewayCollection.Name)]
public sealed class HostingTests(RedisFixture redis, YcbHarness harness) : IClassFixture<YcbHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task OpenApi_DescribesThePayoutApiWithTheSpecExamples()
    {
        var response = await _gateway.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();
        var post = document.GetProperty("paths").GetProperty("/v1/payouts").GetProperty("post");
        var example = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("LN-2026-000123", example.Str("loanId"));
        Assert.Equal("6222020200112233445", example.Str("beneficiary.accountNumber"));
        Assert.Contains(post.GetProperty("parameters").EnumerateArray(), p => p.Str("name") == "Idempotency-Key" && p.Str("in") == "header");
        foreach (var status in new[] { "201", "200", "400", "409", "413", "415", "422", "503" })
        {
            Assert.True(post.GetProperty("responses").TryGetProperty(status, out _), $"missing {status}");
        }

        var created = post.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("ACCOUNT_FROZEN", created.Str("failure.cause"));
        Assert.True(document.GetProperty("paths").TryGetProperty("/v1/payouts/{id}", out _));
        Assert.Equal("X-Api-Key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").Str("name"));
    }

    [Fact]
    public async Task Logs_NeverCarryTheFullAccountNumberOrName()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(RetCode: "1003"));

        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account, name: "司马相如"));
        var payout = await response.JsonAsync();

        Assert.Equal("failed", payout.Str("status"));
        var logs = _gateway.Logs.AllText();
        Assert.Contains(payout.Str("id"), logs, StringComparison.Ordinal);
        Assert.Contains("ACCOUNT_FROZEN", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(account, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("司马相如", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox-ycb-secret-not-real", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayFactory.KeyA, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_DiagnosisIsOneStructuredEventWithCauseCategoryOwnerAndTrace()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(RetCode: "2001"));

        var payout = await (await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account))).JsonAsync();

        var diagnosis = Assert.Single(_gateway.Logs.Events, e => e.Properties.TryGetValue("PayoutId", out var id)
            && id.ToString().Trim('"') == payout.Str("id") && e.Properties.ContainsKey("Cause"));
        Assert.Equal("\"RISK_DECLINED\"", diagnosis.Properties["Cause"].ToString());
        Assert.Equal("\"risk_control\"", diagnosis.Properties["Category"].ToString());
        Assert.Equal("\"risk\"", diagnosis.Properties["Owner"].ToString());
        Assert.Equal(payout.Str("failure.evidence.traceId"), diagnosis.TraceId?.ToString());
    }

    [Fact]
    public async Task Health_LiveAndReadyNeedNoKey()
    {
        var client = _gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Health_AnswersJsonInTheHealthChecksUiFormat()
    {
        var client = _gateway.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var body = await ready.JsonAsync();
        var live = await (await client.GetAsync("/health/live")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("application/json", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", body.Str("status"));
        Assert.True(TimeSpan.TryParse(body.Str("totalDuration"), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("Healthy", body.Str("entries.redis.status"));
        Assert.StartsWith("Redis answered in", body.Str("entries.redis.description"), StringComparison.Ordinal);
        Assert.Equal("ready", body.GetProperty("entries").GetProperty("redis").GetProperty("tags")[0].GetString());
        Assert.Equal("Healthy", body.Str("entries.shutdown.status"));
        Assert.Equal("Healthy", live.Str("status"));
        Assert.Empty(live.GetProperty("entries").EnumerateObject());
    }

    [Fact]
    public async Task Logs_EveryPayoutEventCarriesLoanIdInstanceVersionAndEnvironment()
    {
        var account = Accounts.New();
        var loan = "LN-LOG-" + Guid.NewGuid().ToString("N")[..8];
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(RetCode: "1003"));

        var payout = await (await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account, loanId: loan))).JsonAsync();

        var events = _gateway.Logs.Events.Where(e => e.Properties.TryGetValue("PayoutId", out var id) && id.ToString().Trim('"') == payout.Str("id")).ToList();
        Assert.True(events.Count >= 3, $"only {events.Count} events of the payout");
        Assert.All(events, e =>
        {
            Assert.Equal($"\"{loan}\"", e.Properties["LoanId"].ToString());
            Assert.Matches("^\"[^\"]+/[0-9]+/[0-9a-f]{32}\"$", e.Properties["InstanceId"].ToString());
            Assert.False(string.IsNullOrWhiteSpace(e.Properties["Version"].ToString().Trim('"')));
            Assert.Equal("\"Production\"", e.Properties["Environment"].ToString());
        });
        Assert.Contains(events, e => e.Properties.ContainsKey("Cause"));
        Assert.DoesNotContain(account, _gateway.Logs.AllText(), StringComparison.Ordinal);
    }
}
