using Gateway.Idempotency;
using Gateway.Partners;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Simulators.Prb;
using Simulators.Ycb;
using StackExchange.Redis;

namespace Gateway.Tests.Recovery;

/// <summary>
/// Write-ahead send intents: an owner that died mid-failover (intent for prb recorded, prb
/// executed, the stored partner still ycb) is recovered by inquiring every partner that may
/// have heard of the payout; nothing is sent elsewhere before each of them proved it did not
/// execute. Judged by both simulators' ledgers.
/// </summary>
/// <summary>Run on a single Redis node (<see cref="WriteAheadTests"/>) and on a three-primary cluster (<see cref="WriteAheadClusterTests"/>).</summary>
public abstract class WriteAheadCases(IGatewayRedis redis, WriteAheadCases.Harness harness)
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Reconciler_OwnerDiedAfterPrbExecuted_AdoptsPrbAndNeverSendsToYcb()
    {
        var payout = await ClaimAsDeadInstanceAsync();
        await RecordIntentAsTheDeadInstanceDidAsync(payout, "prb");
        var sent = await _gateway.Services.GetRequiredService<PartnerRegistry>().Get("prb").Client
            .DisburseAsync(DisbursementOrder.For(payout with { Partner = "prb" }), CancellationToken.None);
        Assert.Equal(PartnerOutcome.Succeeded, sent.Outcome);

        var final = await _gateway.ClientFor().WaitFinalAsync(payout.Id, TimeSpan.FromSeconds(20));

        Assert.Equal("succeeded", final.Str("status"));
        Assert.Equal("prb", final.Str("partner"));
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(payout.Id));
        Assert.Equal(0, harness.Ycb.ExecutionCount(payout.Id));
        Assert.Equal(1, harness.Prb.RequestCount(payout.Id));
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Id));
        Assert.Contains(final.GetProperty("attempts").EnumerateArray(), a => a.Str("partner") == "ycb" && a.Str("outcome") == "inquiry");
    }

    [Fact]
    public async Task Reconciler_AttemptedPartnerUnreachable_SendsNowhereUntilItProvesNothingExecuted()
    {
        var payout = await ClaimAsDeadInstanceAsync();
        await RecordIntentAsTheDeadInstanceDidAsync(payout, "prb");
        harness.Prb.GoDown();
        try
        {
            // Taken over and ycb (the stored partner) answers "not found": still nothing may be sent
            // anywhere, because prb cannot yet say whether it received the payout.
            await Eventually.HoldsAsync(() => _gateway.Logs.Events.Any(e => e.MessageTemplate.Text.StartsWith("Reconciler taking over", StringComparison.Ordinal)
                    && e.Properties["PayoutId"].ToString().Contains(payout.Id, StringComparison.Ordinal)),
                "the reconciler never took the payout over", TimeSpan.FromSeconds(20));
            await Eventually.HoldsAsync(() => harness.Ycb.ReceivedCalls.Any(r => r.Path.Contains(payout.Id, StringComparison.Ordinal)),
                "ycb was never inquired", TimeSpan.FromSeconds(20));
            Assert.Equal(0, harness.Ycb.DisburseRequestCount(payout.Id));
            Assert.Equal(0, harness.Prb.RequestCount(payout.Id));
        }
        finally
        {
            harness.Prb.ComeUp();
        }

        var final = await _gateway.ClientFor().WaitFinalAsync(payout.Id, TimeSpan.FromSeconds(30));

        // prb proved it never received it: the payout goes to prb (the partner last chosen), once.
        Assert.Equal("succeeded", final.Str("status"));
        Assert.Equal("prb", final.Str("partner"));
        Assert.Equal(0, harness.Ycb.DisburseRequestCount(payout.Id));
        Assert.Equal(1, harness.Prb.ExecutionCount(payout.Id));
    }

    /// <summary>Recorded as routed to ycb by an instance that died; its lease lapses after a second.</summary>
    private async Task<PayoutRecord> ClaimAsDeadInstanceAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(harness.Space.ConnectionString);
        return await DeadInstance.ClaimAsync(harness.Space.State(connection), DeadInstance.Payout(routed: true));
    }

    /// <summary>The dead owner failed over in memory to prb and recorded its intent (token 1) before sending.</summary>
    private async Task RecordIntentAsTheDeadInstanceDidAsync(PayoutRecord payout, string partner)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(harness.Space.ConnectionString);
        var store = new PayoutStore(harness.Space.State(connection), Options.Create(new PayoutsOptions()), new InstanceIdentity(),
            Options.Create(new RecoveryOptions { LeaseTtl = TimeSpan.FromSeconds(1) }), TimeProvider.System);
        var result = await store.RecordIntentAsync(payout, DeadInstance.Fingerprint, new SendIntent(partner, DateTimeOffset.UtcNow, 1), []);
        Assert.Equal(IntentOutcome.Recorded, result.Outcome);
    }

    public sealed class Harness : GatewayHarness
    {
        public YcbSimulator Ycb { get; private set; } = null!;
        public PrbSimulator Prb { get; private set; } = null!;

        protected override Dictionary<string, string?> Settings(string redisConnection)
        {
            var settings = PrbHarness.Settings(redisConnection, Prb.Url);
            GatewayFactory.AddYcb(settings, Ycb.Url);

            settings["Routing:Order"] = "ycb,prb";
            settings["Recovery:LeaseTtl"] = "00:00:01";
            settings["Recovery:ScanInterval"] = "00:00:00.200";
            return settings;
        }

        protected override void StartSimulators()
        {
            Ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(3) });
            Prb = PrbSimulator.Start(new PrbSimulatorOptions { Token = PrbHarness.Token, SlowDelay = TimeSpan.FromSeconds(3) });
        }

        protected override void StopSimulators()
        {
            Ycb.Dispose();
            Prb.Dispose();
        }
    }
}

[Collection(GatewayCollection.Name)]
public sealed class WriteAheadTests(RedisFixture redis, WriteAheadCases.Harness harness) : WriteAheadCases(redis, harness), IClassFixture<WriteAheadCases.Harness>;

[Collection(RedisClusterCollection.Name)]
public sealed class WriteAheadClusterTests(RedisClusterFixture redis, WriteAheadCases.Harness harness) : WriteAheadCases(redis, harness), IClassFixture<WriteAheadCases.Harness>;
