using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Partners;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Partners;

/// <summary>
/// A partner's quota is part of its contract: with none configured nothing limits disbursements to
/// it. A burst well above the quota that used to apply silently (100 per second) reaches the
/// partner at once, none waiting or refused at the gateway.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NoQuotaBurstTests(RedisFixture redis, YcbHarness harness) : IClassFixture<YcbHarness>
{
    private const int Burst = 150;

    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task NoQuotaConfigured_ABurstOfPayoutsAllReachThePartner()
    {
        Assert.Null(_gateway.Services.GetRequiredService<PartnerRegistry>().Get("ycb").Quota);
        using var saturated = new SaturationListener(_gateway.Services.GetRequiredService<IMeterFactory>());
        var client = _gateway.ClientFor();
        var started = Stopwatch.StartNew();

        var payouts = await Task.WhenAll(Enumerable.Range(0, Burst).Select(async _ =>
            await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync()));
        var elapsed = started.Elapsed;

        Assert.All(payouts, p =>
        {
            Assert.Equal("succeeded", p.Str("status"));
            Assert.Equal(1, harness.Ycb.DisburseRequestCount(p.Str("id")));
            Assert.DoesNotContain("rate_limited", p.Outcomes());
        });
        Assert.Equal(0, saturated.Count("ycb", "queued") + saturated.Count("ycb", "refused"));
        Assert.DoesNotContain("quota saturated", _gateway.Logs.AllText(), StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(8), $"{Burst} payouts took {elapsed}");
    }
}
