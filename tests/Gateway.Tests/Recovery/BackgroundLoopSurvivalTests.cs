using System.Net;
using Gateway.Idempotency;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Tests.Recovery;

/// <summary>
/// A corrupt payout document on the reconciler's list neither stops the host nor blocks the
/// payouts behind it: it is skipped with an error log and stays listed for on-call.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BackgroundLoopSurvivalTests(RedisFixture redis, BackgroundLoopSurvivalTests.Harness harness)
    : IClassFixture<BackgroundLoopSurvivalTests.Harness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Reconciler_UnreadablePayoutAheadOfAnOrphan_SkipsItAndFinishesTheOrphan()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionStringFor(harness.Database));
        var db = connection.GetDatabase();
        var corrupt = (await DeadInstance.ClaimAsync(StateDatabase.Of(connection), DeadInstance.Payout())).Id;
        var value = PayoutValue.Parse(await db.StringGetAsync(PayoutKeys.Payout(corrupt)))!;
        await db.StringSetAsync(PayoutKeys.Payout(corrupt), (value with { Doc = "not json" }).Encode(), null, keepTtl: true);
        await db.SortedSetAddAsync(PayoutKeys.ProcessingOf(corrupt), corrupt, 0); // first in every scan
        var orphan = (await DeadInstance.ClaimAsync(StateDatabase.Of(connection), DeadInstance.Payout())).Id;

        var client = _gateway.ClientFor();
        var payout = await client.WaitFinalAsync(orphan, TimeSpan.FromSeconds(20));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(orphan));
        Assert.Equal(HttpStatusCode.OK, (await _gateway.AnonymousClient().GetAsync("/health/live")).StatusCode);
        Assert.False(_gateway.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(corrupt), corrupt));
        // The corrupt one may be examined before or after the orphan (its dead owner's lease lapses too).
        await Eventually.HoldsAsync(() => Task.FromResult(_gateway.Logs.Events.Any(e => e.Level == Serilog.Events.LogEventLevel.Error
            && e.MessageTemplate.Text.Contains("cannot be read", StringComparison.Ordinal)
            && e.Properties["PayoutId"].ToString().Contains(corrupt, StringComparison.Ordinal))),
            "the reconciler never logged the unreadable payout", TimeSpan.FromSeconds(20));
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(corrupt), corrupt));
        Assert.False(_gateway.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Recovery:LeaseTtl"] = "00:00:01";
            settings["Recovery:ScanInterval"] = "00:00:00.200";
        }
    }
}
