using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Ops;

/// <summary>
/// <c>Ops:DiagnosticsRateLimit</c>: an on-call key polling <c>/v1/diagnostics</c> in a loop runs into
/// its own 429 with <c>Retry-After</c> (each read fans out over every key shard), while another
/// on-call key is unaffected and the payout API does not count against it.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DiagnosticsRateLimitTests(RedisFixture redis)
{
    private const string SecondOnCall = "on-call-2";
    private const string SecondOpsKey = "test-ops-key-on-call-33333333";

    [Fact]
    public async Task OnCallKeyOverItsRate_Gets429WithRetryAfter_OtherKeysAndPayoutsAreUnaffected()
    {
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), "http://127.0.0.1:1");
        settings[$"Auth:OpsKeys:{SecondOnCall}"] = SecondOpsKey;
        settings["Ops:DiagnosticsRateLimit:Permits"] = "1";
        settings["Ops:DiagnosticsRateLimit:Period"] = "01:00:00";
        settings["Ops:DiagnosticsRateLimit:Burst"] = "3";
        using var gateway = new GatewayFactory(settings);
        using var ops = gateway.OpsClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("/v1/diagnostics/failures?window=1h")).StatusCode);
        }

        using var refused = await ops.GetAsync("/v1/diagnostics/partners");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.EndsWith("/diagnostics-rate-limited", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains(GatewayFactory.OnCall, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var other = gateway.ClientFor(SecondOpsKey);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/diagnostics/partners")).StatusCode);
        using var client = gateway.ClientFor();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/payouts/po_aaaaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode);
    }

    [Fact]
    public async Task ABadDiagnosticsRate_IsAStartupErrorNamingTheKey()
    {
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), "http://127.0.0.1:1");
        settings["Ops:DiagnosticsRateLimit:Permits"] = "0";
        using var gateway = new GatewayFactory(settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => gateway.CreateClient()));
        Assert.Contains("Ops:DiagnosticsRateLimit:Permits", error.ToString(), StringComparison.Ordinal);
    }
}
