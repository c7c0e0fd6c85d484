using System.Net;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Partners.Chaos;

/// <summary>An injected refused connection is read as one: failed PARTNER_UNAVAILABLE, and ycb received nothing.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ChaosFaultTests(RedisFixture redis, ChaosFaultHarness harness) : IClassFixture<ChaosFaultHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Disburse_InjectedFault_FailsUnavailableAndNothingReachesThePartner()
    {
        var injections = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "strategy.name" && tag.Value is string name && name.Contains("chaos", StringComparison.Ordinal))
                {
                    injections.Add(name);
                }
            }
        });
        listener.Start();

        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));
        var payout = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNAVAILABLE", payout.Str("failure.cause"));
        var outcomes = payout.Outcomes();
        Assert.Equal(3, outcomes.Length);
        Assert.All(outcomes, o => Assert.Equal("refused", o));
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(payout.Str("id")));
        Assert.Empty(harness.Ycb.ReceivedCalls);
        Assert.Contains(_gateway.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Chaos: injected", StringComparison.Ordinal)
            && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("fault", StringComparison.Ordinal));
        Assert.Contains(_gateway.Logs.Events, e => e.MessageTemplate.Text.StartsWith("CHAOS IS ON", StringComparison.Ordinal));
        // Polly's own meter counts each injection under the strategy's name.
        Assert.True(injections.Count(n => n == "ycb-chaos-fault") >= 3, string.Join(",", injections));
    }
}

/// <summary>An injected 503 is read as a partner outage: unknown, resolved by inquiry, failed PARTNER_UNAVAILABLE, nothing executed.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ChaosOutcomeTests(RedisFixture redis, ChaosOutcomeHarness harness) : IClassFixture<ChaosOutcomeHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Disburse_Injected503_FailsUnavailableAfterInquiryAndExecutesNothing()
    {
        var client = _gateway.ClientFor();
        var submitted = await (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync();
        var payout = await client.WaitFinalAsync(submitted.Str("id"));

        Assert.Equal("failed", payout.Str("status"));
        Assert.Equal("PARTNER_UNAVAILABLE", payout.Str("failure.cause"));
        var outcomes = payout.Outcomes();
        Assert.Equal("unavailable", outcomes[0]);
        Assert.Contains("inquiry", outcomes);
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Str("id")));
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(payout.Str("id")));
    }
}

/// <summary>Injected latency past the attempt timeout on an inquiry is a timeout, and the delayed inquiry is never sent.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ChaosLatencyTests(RedisFixture redis, ChaosLatencyHarness harness) : IClassFixture<ChaosLatencyHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Inquiry_InjectedLatencyPastTheAttemptTimeout_TimesOutAndStaysProcessing()
    {
        var account = Accounts.New();
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowWithoutExecuting, Delay: TimeSpan.FromSeconds(3)));

        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: account));
        var payout = await response.JsonAsync();

        // The disbursement timed out for real; every inquiry after it timed out on the injected delay,
        // so nothing is known yet: still processing, never failed.
        Assert.Equal("processing", payout.Str("status"));
        var outcomes = payout.Outcomes();
        Assert.True(outcomes.Length >= 2, string.Join(",", outcomes));
        Assert.All(outcomes, o => Assert.Equal("timeout", o));
        Assert.DoesNotContain(harness.Ycb.ReceivedCalls, r => r.Method == "GET");
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(payout.Str("id")));
    }
}

/// <summary>Rates without <c>Chaos:Enabled</c> inject nothing: the payout reaches ycb and succeeds.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ChaosOffByDefaultTests(RedisFixture redis, ChaosOffHarness harness) : IClassFixture<ChaosOffHarness>
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Disburse_ChaosNotEnabled_ReachesThePartnerAndSucceeds()
    {
        var payout = await (await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).JsonAsync();

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(payout.Str("id")));
        Assert.DoesNotContain(_gateway.Logs.Events, e => e.MessageTemplate.Text.Contains("CHAOS", StringComparison.OrdinalIgnoreCase)
            || e.MessageTemplate.Text.StartsWith("Chaos:", StringComparison.Ordinal));
    }
}
