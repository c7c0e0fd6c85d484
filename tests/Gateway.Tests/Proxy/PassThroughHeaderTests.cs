using System.Net;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Proxy;

/// <summary>
/// What crosses the pass-through: of the caller's headers only <c>Content-Type</c> and
/// <c>Accept</c> reach the partner (beside the partner's own credentials); the partner's
/// <c>Set-Cookie</c> and <c>Server</c> never reach the caller; YARP logs nothing below Warning.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PassThroughHeaderTests(RedisFixture redis, PassThroughHarness harness) : IClassFixture<PassThroughHarness>
{
    private readonly KestrelGateway _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Balance_WithCookieAuthorizationForwardedAndCustomHeaders_PartnerReceivesOnlyAcceptAndItsCredentials()
    {
        var before = harness.Ycb.ReceivedCalls.Count;
        using var client = _gateway.ClientFor();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/partners/ycb/api/v2/accounts/balance");
        AddCallerSecrets(request);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1250000.00", (await response.JsonAsync()).Str("data.available"));
        var call = Assert.Single(harness.Ycb.ReceivedCalls.Skip(before));
        Assert.Equal("/api/v2/accounts/balance", call.RawTarget);
        Assert.Equal(["Accept", "Host", "X-YCB-AppId", "X-YCB-Signature"],
            call.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("application/json", call.Header("Accept"));
        Assert.Equal(new Uri(harness.Ycb.Url).Authority, call.Header("Host"));
        Assert.Equal("sandbox-ycb-app", call.Header("X-YCB-AppId"));
    }

    [Fact]
    public async Task Verify_Post_PartnerReceivesContentTypeExactLengthAndSignatureButNoCallerSecrets()
    {
        var before = harness.Ycb.ReceivedCalls.Count;
        using var client = _gateway.ClientFor();
        var body = """{"acctNo":"6222020200112233445","acctName":"张三"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/partners/ycb/api/v2/accounts/verify")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        AddCallerSecrets(request);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", (await response.JsonAsync()).Str("data.match"));
        var call = Assert.Single(harness.Ycb.ReceivedCalls.Skip(before));
        Assert.Equal(["Accept", "Content-Length", "Content-Type", "Host", "X-YCB-AppId", "X-YCB-Signature"],
            call.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("application/json; charset=utf-8", call.Header("Content-Type"));
        Assert.Equal(Encoding.UTF8.GetByteCount(body), call.ContentLength);
    }

    [Fact]
    public async Task Balance_PartnerSetsCookieAndNamesItsServer_CallerSeesNeither()
    {
        using var client = _gateway.ClientFor();

        var response = await client.GetAsync("/partners/ycb/api/v2/accounts/balance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"), "Set-Cookie reached the caller");
        Assert.False(response.Headers.Contains("Server"), $"Server reached the caller: {string.Join(",", response.Headers.Server)}");
        // The partner does send both, so their absence is the gateway's doing.
        using var direct = new HttpClient();
        using var signed = new HttpRequestMessage(HttpMethod.Get, harness.Ycb.Url + "/api/v2/accounts/balance");
        signed.Headers.Add("X-YCB-AppId", "sandbox-ycb-app");
        signed.Headers.Add("X-YCB-Signature", Gateway.Partners.Ycb.YcbSignatureHandler.Sign(
            Encoding.UTF8.GetBytes("/api/v2/accounts/balance"), "sandbox-ycb-secret-not-real"));
        var partner = await direct.SendAsync(signed);
        Assert.Contains(partner.Headers.GetValues("Set-Cookie"), c => c.StartsWith("YCBSESSION=", StringComparison.Ordinal));
        Assert.Contains("ycb-gateway/2.4", string.Join(" ", partner.Headers.GetValues("Server")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassThrough_YarpWritesNothingBelowWarning()
    {
        using var client = _gateway.ClientFor();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/partners/prb/iso20022/v1/accounts/settlement/balance")).StatusCode);

        var yarp = _gateway.Logs.Events
            .Where(e => e.Properties.TryGetValue("SourceContext", out var source) && source.ToString().Trim('"').StartsWith("Yarp", StringComparison.Ordinal))
            .Where(e => e.Level < Serilog.Events.LogEventLevel.Warning)
            .Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Empty(yarp);
    }

    private static void AddCallerSecrets(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("Cookie", "session=caller-session-cookie");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer caller-token-not-for-partner");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/api/v2/disburse");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Original-URL", "/api/v2/disburse");
        request.Headers.TryAddWithoutValidation("X-Custom-Trace", "caller-custom-value");
        request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        request.Headers.TryAddWithoutValidation("tracestate", "caller=1");
        request.Headers.TryAddWithoutValidation("baggage", "user=mallory");
    }
}
