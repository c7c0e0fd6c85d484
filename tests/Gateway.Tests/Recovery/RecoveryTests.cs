using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Idempotency;
using Gateway.Partners.Ycb;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Options;
using Simulators.Ycb;
using StackExchange.Redis;

namespace Gateway.Tests.Recovery;

/// <summary>
/// Payouts whose owner died mid-flight are found by the reconciler once the owner's lease
/// lapses, and resolved by inquiry: the partner's record is adopted, a payout is re-sent only
/// when the partner proves it never received it, and nothing executes twice.
/// </summary>
/// <summary>Run on a single Redis node (<see cref="RecoveryTests"/>) and on a three-primary cluster (<see cref="RecoveryClusterTests"/>).</summary>
public abstract class RecoveryCases(IGatewayRedis redis, RecoveryCases.Harness harness)
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Reconciler_PayoutSentByAnInstanceThatDied_IsAdoptedByInquiryWithoutResending()
    {
        var client = _gateway.ClientFor();
        var (id, account) = await ClaimAsDeadInstanceAsync();
        await SendAsTheDeadInstanceDidAsync(id, account);
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));

        var payout = await client.WaitFinalAsync(id, TimeSpan.FromSeconds(20));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.StartsWith("YCB", payout.Str("partnerReference"), StringComparison.Ordinal);
        Assert.Contains(payout.GetProperty("attempts").EnumerateArray(), a => a.Str("outcome") == "inquiry");
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(id));
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
    }

    [Fact]
    public async Task Reconciler_PayoutClaimedButNeverSent_IsSentOnceAfterThePartnerConfirmsItNeverArrived()
    {
        var client = _gateway.ClientFor();
        var (id, _) = await ClaimAsDeadInstanceAsync();

        var payout = await client.WaitFinalAsync(id, TimeSpan.FromSeconds(20));

        Assert.Equal("succeeded", payout.Str("status"));
        var attempts = payout.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal("inquiry", attempts[0].Str("outcome"));
        Assert.Equal("1404", attempts[0].Str("partnerCode"));
        Assert.Equal("succeeded", attempts[^1].Str("outcome"));
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(id));
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
    }

    [Fact]
    public async Task Reconciler_LiveOwnerStillHoldsTheLease_DoesNotTakeOver()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.ProcessingThenSettle));
        var client = _gateway.ClientFor();
        var key = Api.NewKey();

        var created = await (await client.SubmitAsync(key, Api.Body(account: account))).JsonAsync();
        var id = created.Str("id");
        var payout = await client.WaitFinalAsync(id, TimeSpan.FromSeconds(20));

        // One send by the owner, and no "taking over" by the reconciler of the same instance.
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(id));
        Assert.DoesNotContain(_gateway.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Reconciler taking over", StringComparison.Ordinal)
            && e.Properties["PayoutId"].ToString().Contains(id, StringComparison.Ordinal));
    }

    /// <summary>A payout recorded by another instance (which then died): its lease lapses after a second.</summary>
    private async Task<(string Id, string Account)> ClaimAsDeadInstanceAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(harness.Space.ConnectionString);
        var payout = await DeadInstance.ClaimAsync(harness.Space.State(connection), DeadInstance.Payout(amount: 4321.09m, loanId: "LN-2026-000777"));
        return (payout.Id, payout.Beneficiary.AccountNumber);
    }

    /// <summary>The disbursement the dead instance sent before it could record the answer.</summary>
    private async Task SendAsTheDeadInstanceDidAsync(string id, string account)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new YcbDisburseRequest(id, account, "王五", "ICBC", "4321.09", "CNY", "LN-2026-000777"), Wire);
        using var http = new HttpClient { BaseAddress = new Uri(harness.Ycb.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/disburse") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-YCB-AppId", "sandbox-ycb-app");
        request.Headers.Add("X-YCB-Signature", YcbSignatureHandler.Sign(body, "sandbox-ycb-secret-not-real"));
        var answer = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("0000", answer.Str("retCode"));
    }

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Recovery:LeaseTtl"] = "00:00:01";
            settings["Recovery:ScanInterval"] = "00:00:00.200";
        }
    }
}

[Collection(GatewayCollection.Name)]
public sealed class RecoveryTests(RedisFixture redis, RecoveryCases.Harness harness) : RecoveryCases(redis, harness), IClassFixture<RecoveryCases.Harness>;

[Collection(RedisClusterCollection.Name)]
public sealed class RecoveryClusterTests(RedisClusterFixture redis, RecoveryCases.Harness harness) : RecoveryCases(redis, harness), IClassFixture<RecoveryCases.Harness>;
