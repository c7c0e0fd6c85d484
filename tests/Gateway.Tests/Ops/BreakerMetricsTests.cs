using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Ycb;

namespace Gateway.Tests.Ops;

/// <summary>
/// The breaker gauge and payout counter of a gateway process whose ycb breaker opens. A process
/// of its own: hosts sharing one test process would share the "Gateway" meter's listeners.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BreakerMetricsTests(RedisFixture redis) : IAsyncLifetime
{
    private YcbSimulator _ycb = null!;

    public Task InitializeAsync()
    {
        _ycb = YcbSimulator.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _ycb.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Metrics_ServerErrorsOpenTheBreaker_GaugeShowsOpenAndPayoutsCountTheCause()
    {
        var settings = GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), _ycb.Url);
        settings["Partners:ycb:Breaker:MinimumThroughput"] = "3";
        settings["Partners:ycb:Breaker:FailureRatio"] = "0.5";
        settings["Partners:ycb:Breaker:BreakDuration"] = "00:05:00";
        settings["Partners:ycb:Breaker:SamplingDuration"] = "00:00:30";
        await using var gateway = await GatewayProcesses.StartAsync(settings);
        using var client = gateway.ClientFor();
        var causes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var account = Accounts.New();
            _ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.ServerError));
            var payout = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: account))).JsonAsync();
            causes.Add(payout.Str("failure.cause"));
        }

        var scrape = PrometheusScrape.Parse(await client.GetStringAsync("/metrics"));

        Assert.Contains("PARTNER_CIRCUIT_OPEN", causes);
        Assert.Equal(2, scrape.Value("gateway_partner_circuit_state", ("partner", "ycb")));
        foreach (var group in causes.GroupBy(c => c))
        {
            Assert.Equal(group.Count(), scrape.Value("gateway_payouts_completed_total",
                ("status", "failed"), ("partner", "ycb"), ("cause", group.Key)));
        }
    }
}
