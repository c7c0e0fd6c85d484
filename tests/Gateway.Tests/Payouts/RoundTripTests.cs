using System.Net;
using Gateway.Storage;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Gateway.Tests.Payouts;

/// <summary>
/// The synchronous path of a payout that succeeds at its first partner costs two Redis round
/// trips — the claim (which also records the first send intent) and the final save (which also
/// ends the in-flight marker) — counted with StackExchange.Redis's own profiler on the gateway's
/// connection, and leaves one compact value under a kilobyte.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RoundTripTests(RedisFixture redis, RoundTripTests.Harness harness) : IClassFixture<RoundTripTests.Harness>
{
    [Fact]
    public async Task Submit_SucceedingAtFirstPartner_TakesTwoRedisRoundTripsAndStoresUnderOneKilobyte()
    {
        var gateway = harness.Gateway(redis);
        var client = gateway.ClientFor();
        // Warm up (scripts loaded, connections open) with one payout first.
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(Api.NewKey(), Api.Body())).StatusCode);
        var connection = gateway.Services.GetRequiredService<IConnectionMultiplexer>();
        var session = new ProfilingSession();
        connection.RegisterProfiler(() => session);

        var response = await client.SubmitAsync(Api.NewKey(), Api.Body());
        var commands = session.FinishProfiling().Select(c => c.Command).ToList();
        connection.RegisterProfiler(() => null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payout = await response.JsonAsync();
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.True(commands.Count == 2 && commands.All(c => c is "EVALSHA" or "EVAL"),
            $"round trips: {string.Join(", ", commands)}");
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
        var db = gateway.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var stored = PayoutValue.Parse(await db.StringGetAsync(PayoutKeys.Payout(payout.Str("id"))))!;
        Assert.Equal("succeeded", stored.Status);
        Assert.Equal("ycb", Assert.Single(stored.ToStored().Intents).Partner);
        Assert.Null(stored.ToStored().Payout.Claim); // kept only while the payout is new
        Assert.False(await db.KeyExistsAsync(PayoutKeys.InFlight(payout.Str("id"))));
        var bytes = (long)await db.ExecuteAsync("MEMORY", "USAGE", (RedisKey)PayoutKeys.Payout(payout.Str("id")).ToString());
        Assert.True(bytes < 1024, $"the stored payout takes {bytes} bytes");
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            // No background loop writes while the payout is counted.
            settings["Recovery:LeaseTtl"] = "00:10:00";
            settings["Recovery:ScanInterval"] = "00:05:00";
            // Nor the webhook dispatcher's polls (XINFO, EVAL every second), which a slow request would count too.
            settings["WebhookDelivery:Enabled"] = "false";
        }
    }
}
