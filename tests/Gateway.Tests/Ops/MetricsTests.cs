using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Ops;

/// <summary>What Prometheus scrapes from <c>GET /metrics</c> (no key) after a seeded set of payouts.</summary>
[Collection(GatewayCollection.Name)]
public sealed class MetricsTests(RedisFixture redis, OpsGateway gateway) : IClassFixture<OpsGateway>
{
    [Fact]
    public async Task Metrics_AfterSeededPayouts_CountsPayoutsByStatusPartnerAndCause()
    {
        await gateway.StartAsync(redis);

        var scrape = await ScrapeAsync();

        Assert.Equal("counter", scrape.Types["gateway_payouts_completed_total"]);
        var expected = gateway.Seeded.All.GroupBy(p => (p.Status, Cause: p.Cause ?? "none"));
        foreach (var group in expected)
        {
            Assert.Equal(group.Count(), scrape.Value("gateway_payouts_completed_total",
                ("status", group.Key.Status), ("partner", "ycb"), ("cause", group.Key.Cause)));
        }

        Assert.Equal(gateway.Seeded.All.Count, scrape.Sum("gateway_payouts_completed_total"));
        Assert.Equal(2, scrape.Value("gateway_payouts_completed_total", ("status", "failed"), ("cause", "ACCOUNT_FROZEN")));
    }

    [Fact]
    public async Task Metrics_AfterSeededPayouts_HasYcbCallLatencyHistogramByCallAndOutcome()
    {
        await gateway.StartAsync(redis);

        var scrape = await ScrapeAsync();

        Assert.Equal("histogram", scrape.Types["gateway_partner_call_duration_seconds"]);
        var disburses = scrape.Sum("gateway_partner_call_duration_seconds_count", ("partner", "ycb"), ("call", "disburse"));
        Assert.Equal(gateway.Seeded.All.Count, disburses);
        Assert.Equal(gateway.Seeded.Succeeded.Count,
            scrape.Value("gateway_partner_call_duration_seconds_count", ("partner", "ycb"), ("call", "disburse"), ("outcome", "succeeded")));
        Assert.Equal(disburses, scrape.Sum("gateway_partner_call_duration_seconds_bucket", ("partner", "ycb"), ("call", "disburse"), ("le", "+Inf")));
        Assert.True(scrape.Sum("gateway_partner_call_duration_seconds_sum", ("partner", "ycb"), ("call", "disburse")) > 0);
    }

    [Fact]
    public async Task Metrics_BreakerGauge_ShowsYcbClosed()
    {
        await gateway.StartAsync(redis);

        var scrape = await ScrapeAsync();

        Assert.Equal("gauge", scrape.Types["gateway_partner_circuit_state"]);
        Assert.Equal(0, scrape.Value("gateway_partner_circuit_state", ("partner", "ycb")));
    }

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(gateway.Process.BaseUrl) };
        var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics: HTTP {(int)response.StatusCode} {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusScrape.Parse(text);
    }
}
