using Gateway.Storage;
using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Ycb;

namespace Gateway.Tests.Ops;

/// <summary>
/// The meters added for on-call (README, Metrics): the processing backlog gauges, sampled in the
/// background, rise while a partner holds its answer and fall back once it settles; a reconciler
/// takeover counts; ASP.NET Core, HttpClient, runtime and Polly meters are exported. Each test
/// runs a gateway process of its own: hosts sharing one test process would share meter listeners.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RecoveryAndBacklogMetricsTests(RedisFixture redis) : IAsyncLifetime
{
    private YcbSimulator _ycb = null!;

    public Task InitializeAsync()
    {
        // ProcessingThenSettle: the bank answers "processing" and settles 4 s later.
        _ycb = YcbSimulator.Start(new YcbSimulatorOptions { SettleAfter = TimeSpan.FromSeconds(4) });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _ycb.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Metrics_PartnerHoldsItsAnswer_StuckGaugesRiseThenFallOnceItSettles()
    {
        await using var gateway = await GatewayProcesses.StartAsync(Settings(redis.AllocateDatabase()));
        using var client = gateway.ClientFor();
        var before = await ScrapeAsync(client);
        Assert.Equal("gauge", before.Types["gateway_payouts_processing"]);
        Assert.Equal(0, before.Value("gateway_payouts_processing_oldest_age_seconds"));
        var account = Accounts.New();
        _ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.ProcessingThenSettle));
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);

        var submit = client.SubmitAsync(key, Api.Body(account: account));

        await Eventually.HoldsAsync(async () => (await ScrapeAsync(client)) is var s
                && s.Value("gateway_payouts_processing_oldest_age_seconds") >= 1
                && s.Value("gateway_payouts_processing", ("age", "lt_1m")) == 1,
            "the oldest-processing gauge never rose while the partner held its answer", TimeSpan.FromSeconds(10));
        var during = await ScrapeAsync(client);
        Assert.Equal(0, during.Sum("gateway_payouts_processing") - during.Value("gateway_payouts_processing", ("age", "lt_1m")));

        Assert.Equal("succeeded", (await client.WaitFinalAsync(id, TimeSpan.FromSeconds(20))).Str("status"));
        await submit;
        await Eventually.HoldsAsync(async () => (await ScrapeAsync(client)) is var s
                && s.Value("gateway_payouts_processing_oldest_age_seconds") == 0
                && s.Sum("gateway_payouts_processing") == 0,
            "the stuck gauges did not fall back once the partner settled", TimeSpan.FromSeconds(10));
        var probes = await ScrapeAsync(client);
        Assert.True(probes.Sum("gateway_redis_probe_duration_seconds_count", ("probe", "ping"), ("outcome", "ok")) > 0);
        Assert.True(probes.Sum("gateway_redis_probe_duration_seconds_count", ("probe", "backlog"), ("outcome", "ok")) > 0);
    }

    [Fact]
    public async Task Metrics_ReconcilerTakesOverADeadInstancesPayout_TakeoverCounterIncrements()
    {
        var database = redis.AllocateDatabase();
        await using var gateway = await GatewayProcesses.StartAsync(Settings(database));
        using var client = gateway.ClientFor();
        Assert.Equal(0, (await ScrapeAsync(client)).Sum("gateway_recovery_takeovers_total"));

        var payout = await DeadInstance.ClaimAsync(StateDatabase.Of(redis.Connection, database: database), DeadInstance.Payout());
        Assert.Equal("succeeded", (await client.WaitFinalAsync(payout.Id, TimeSpan.FromSeconds(20))).Str("status"));

        // The payout reads final as soon as its final save lands; the reconciler lets go of its lease just after,
        // so the scrape is repeated (at most 5 s) until the gauge has caught up, or the assertions below show what it held.
        var scrape = await ScrapeAsync(client);
        for (var deadline = DateTime.UtcNow.AddSeconds(5);
             (scrape.Sum("gateway_recovery_takeovers_total") != 1 || scrape.Sum("gateway_recovery_leases_held") != 0) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            scrape = await ScrapeAsync(client);
        }

        Assert.Equal("counter", scrape.Types["gateway_recovery_takeovers_total"]);
        Assert.Equal(1, scrape.Value("gateway_recovery_takeovers_total"));
        Assert.Equal(0, scrape.Value("gateway_recovery_leases_held"));
    }

    [Fact]
    public async Task Metrics_AfterAPayout_ExportAspNetCoreHttpClientRuntimeAndPollyMeters()
    {
        await using var gateway = await GatewayProcesses.StartAsync(Settings(redis.AllocateDatabase()));
        using var client = gateway.ClientFor();
        var key = Api.NewKey();
        // 9001: the bank is busy once, so the disbursement pipeline retries (a Polly OnRetry event).
        var created = await (await client.SubmitAsync(key, Api.Body(account: "629900000000009001"))).JsonAsync();
        Assert.Equal("succeeded", (await client.WaitFinalAsync(created.Str("id"), TimeSpan.FromSeconds(20))).Str("status"));

        var scrape = await ScrapeAsync(client);

        Assert.Equal("histogram", scrape.Types["http_server_request_duration_seconds"]);
        Assert.True(scrape.Sum("http_server_request_duration_seconds_count", ("http_request_method", "POST"), ("http_response_status_code", "201")) >= 1,
            string.Join("; ", scrape.Samples.Where(s => s.Name == "http_server_request_duration_seconds_count").Select(s => string.Join(',', s.Labels))));
        Assert.Equal("histogram", scrape.Types["http_client_request_duration_seconds"]);
        Assert.True(scrape.Sum("http_client_request_duration_seconds_count") >= 1);
        Assert.Contains(scrape.Types.Keys, name => name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
        Assert.Equal("counter", scrape.Types["resilience_polly_strategy_events_total"]);
        Assert.True(scrape.Sum("resilience_polly_strategy_events_total",
            ("pipeline_name", "ycb:disburse"), ("strategy_name", "retry"), ("event_name", "OnRetry")) >= 1);
        Assert.Contains(scrape.Types.Keys, name => name.StartsWith("resilience_polly_pipeline_duration", StringComparison.Ordinal));
    }

    private Dictionary<string, string?> Settings(int database) =>
        new(GatewayFactory.Settings(redis.ConnectionStringFor(database), _ycb.Url))
        {
            ["Metrics:BacklogSampleInterval"] = "00:00:00.200",
            ["Recovery:LeaseTtl"] = "00:00:01",
            ["Recovery:ScanInterval"] = "00:00:00.200",
        };

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient client) =>
        PrometheusScrape.Parse(await client.GetStringAsync("/metrics"));
}
