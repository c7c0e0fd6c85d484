using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Simulators.Ycb;

namespace Gateway.Tests.Partners;

/// <summary>
/// A partner's quota holds for the whole gateway, not per instance: two gateway hosts on one Redis
/// database, ycb's quota 5 per second (burst 5, 2 may wait per instance), 40 payouts at once split
/// across them. What ycb RECEIVED (every disbursement request, not de-duplicated) stays within
/// the one quota in every second; with a bucket per instance it would have been about twice that.
/// What was over it failed unsent as <c>PARTNER_RATE_LIMITED</c>; what waited succeeded, sent once.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GlobalQuotaTests(RedisFixture redis)
{
    private const int Permits = 5;
    private const int Burst = 5;
    private const int Payouts = 40;

    [Fact]
    public async Task TwoInstances_OneQuota_PartnerNeverReceivesMoreThanItAllowsPerSecond()
    {
        using var ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3), SettleAfter = TimeSpan.FromMilliseconds(600) });
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), ycb.Url);
        settings["Partners:ycb:RateLimit:Permits"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Partners:ycb:RateLimit:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Partners:ycb:RateLimit:Period"] = "00:00:01";
        settings["Partners:ycb:RateLimit:QueueLimit"] = "2";
        settings["Partners:ycb:RateLimit:PassThroughShare"] = "0";
        // Generous timeouts: on 2 busy cores a 1 s attempt timeout would turn sent payouts into timeouts.
        settings["Partners:ycb:Timeout"] = "00:00:10";
        settings["Partners:ycb:TotalTimeout"] = "00:00:20";
        settings["Payouts:SyncBudget"] = "00:00:20";
        await using var first = new GatewayFactory(settings);
        await using var second = new GatewayFactory(settings);
        using var firstSaturated = new SaturationListener(first.Services.GetRequiredService<IMeterFactory>());
        using var secondSaturated = new SaturationListener(second.Services.GetRequiredService<IMeterFactory>());
        var clients = new[] { first.ClientFor(), second.ClientFor() };

        var payouts = await Task.WhenAll(Enumerable.Range(0, Payouts).Select(async i =>
        {
            var payout = await (await clients[i % 2].SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync();
            return await clients[i % 2].WaitFinalAsync(payout.Str("id"));
        }));

        var sent = ycb.ReceivedCalls.Where(r => r.Method == "POST" && r.Path == "/api/v2/disburse")
            .Select(r => r.ReceivedAt).Order().ToList();
        AssertWithinQuota(sent);

        var summary = string.Join("; ", payouts.Select(p => $"{p.Str("status")} [{string.Join(",", p.Outcomes())}] sent {ycb.DisburseRequestCount(p.Str("id"))}"));
        var limited = payouts.Where(p => p.Outcomes() is ["rate_limited"]).ToList();
        var delivered = payouts.Except(limited).ToList();
        Assert.True(limited.Count > 0 && delivered.Count >= Burst, summary);
        Assert.All(limited, p =>
        {
            Assert.Equal("failed", p.Str("status"));
            Assert.Equal("PARTNER_RATE_LIMITED", p.Str("failure.cause"));
            Assert.Equal(0, ycb.DisburseRequestCount(p.Str("id")));
        });
        Assert.All(delivered, p =>
        {
            Assert.True(p.Str("status") == "succeeded", summary);
            Assert.Equal(1, ycb.DisburseRequestCount(p.Str("id")));
        });
        Assert.Equal(sent.Count, delivered.Count);
        Assert.Equal(limited.Count, firstSaturated.Count("ycb", "refused") + secondSaturated.Count("ycb", "refused"));
        Assert.True(firstSaturated.Count("ycb", "queued") + secondSaturated.Count("ycb", "queued") > 0, "some disbursements waited for the shared bucket");
    }

    /// <summary>
    /// In every window of one second starting at an arrival, ycb received at most what a token
    /// bucket of burst B and P per second can grant in a second (B + P), whoever sent it; one request of
    /// tolerance for the time between a permit and its request's arrival, which varies on a busy machine.
    /// </summary>
    private static void AssertWithinQuota(List<long> arrivals)
    {
        Assert.NotEmpty(arrivals);
        var second = Stopwatch.Frequency;
        for (var i = 0; i < arrivals.Count; i++)
        {
            var inWindow = arrivals.Skip(i).TakeWhile(t => t - arrivals[i] < second).Count();
            Assert.True(inWindow <= Burst + Permits + 1,
                $"{inWindow} disbursements reached ycb within one second of arrival {i}; the quota allows {Burst + Permits}: "
                + string.Join(", ", arrivals.Select(t => $"{(t - arrivals[0]) * 1000 / second} ms")));
        }
    }
}
