using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// <c>/partners/{partner}/{**path}</c>: the caller sends only its API key; the partner receives
/// its own credentials (ycb's HMAC signature, over the path for GET and the body for POST) and
/// never the caller's key. An unknown partner is 404, an unhealthy one 503.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PartnerProxyTests(RedisFixture redis, PartnerProxyTests.Harness harness) : IClassFixture<PartnerProxyTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Balance_ThroughTheProxy_IsSignedForThePartnerAndCarriesNoApiKey()
    {
        var before = harness.Ycb.PassThroughCalls.Count;

        var response = await _gateway.ClientFor().GetAsync("/partners/ycb/api/v2/accounts/balance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("0000", body.Str("retCode"));
        Assert.Equal("1250000.00", body.Str("data.available"));
        var call = harness.Ycb.PassThroughCalls.Skip(before).Single();
        Assert.Equal("/api/v2/accounts/balance", call.Path);
        Assert.Contains("X-YCB-Signature", call.HeaderNames, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Api-Key", call.HeaderNames, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AccountVerify_PostThroughTheProxy_IsSignedOverTheBody()
    {
        var response = await _gateway.ClientFor().PostAsJsonAsync("/partners/ycb/api/v2/accounts/verify",
            new { acctNo = "6222020200112233445", acctName = "张三" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("0000", body.Str("retCode"));
        Assert.Equal("true", body.Str("data.match"));
    }

    [Fact]
    public async Task AccountVerify_FrozenAccount_PassesThePartnersAnswerThrough()
    {
        var response = await _gateway.ClientFor().PostAsJsonAsync("/partners/ycb/api/v2/accounts/verify",
            new { acctNo = "629900000000001003", acctName = "张三" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1003", (await response.JsonAsync()).Str("retCode"));
    }

    [Fact]
    public async Task Proxy_WithoutApiKey_Returns401AndSendsNothing()
    {
        var before = harness.Ycb.PassThroughCalls.Count;
        using var anonymous = _gateway.CreateClient();

        var response = await anonymous.GetAsync("/partners/ycb/api/v2/accounts/balance");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, harness.Ycb.PassThroughCalls.Count);
    }

    [Fact]
    public async Task Proxy_UnknownPartner_Returns404Problem()
    {
        var response = await _gateway.ClientFor().GetAsync("/partners/acme/api/v2/accounts/balance");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.EndsWith("/partner-not-found", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_PartnerDown_Returns503UntilHealthChecksSeeItBack()
    {
        var client = _gateway.ClientFor();
        harness.Ycb.GoDown();
        try
        {
            await WaitForStatusAsync(client, HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            harness.Ycb.ComeUp();
        }

        await WaitForStatusAsync(client, HttpStatusCode.OK);
    }

    private static async Task WaitForStatusAsync(HttpClient client, HttpStatusCode expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            last = (await client.GetAsync("/partners/ycb/api/v2/accounts/balance")).StatusCode;
            if (last == expected)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Fail($"expected {expected} from the proxy within 15 s, last answer {last}");
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Proxy:HealthCheckInterval"] = "00:00:00.200";
            settings["Proxy:HealthCheckTimeout"] = "00:00:00.500";
            settings["Proxy:UnhealthyAfter"] = "1";
        }
    }
}
