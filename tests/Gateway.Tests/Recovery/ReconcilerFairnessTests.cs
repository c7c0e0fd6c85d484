using Gateway.Idempotency;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Tests.Recovery;

/// <summary>A scan is not filled by payouts whose live leases belong to others: an orphan behind them is taken over.</summary>
/// <summary>Run on a single Redis node (<see cref="ReconcilerFairnessTests"/>) and on a three-primary cluster (<see cref="ReconcilerFairnessClusterTests"/>).</summary>
public abstract class ReconcilerFairnessCases(IGatewayRedis redis, ReconcilerFairnessCases.Harness harness)
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task ScanOnce_BusyPayoutsAheadOfAnOrphan_StillTakesTheOrphanOver()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(harness.Space.ConnectionString);
        var live = new IdempotencyStore(harness.Space.State(connection), new InstanceIdentity(),
            Options.Create(new RecoveryOptions { LeaseTtl = TimeSpan.FromMinutes(10) }), Options.Create(new PayoutsOptions()));
        var created = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);
        for (var i = 0; i < 5; i++)
        {
            // Claimed earlier (due first) by an instance that is alive and holds their leases.
            await live.ClaimAsync(Payout(created.AddSeconds(i)), "fp", TimeSpan.FromSeconds(1));
        }

        var orphan = Payout(created.AddSeconds(30));
        await live.ClaimAsync(orphan, "fp", TimeSpan.FromSeconds(1));
        var db = harness.Space.State(connection).Db;
        await db.KeyDeleteAsync(PayoutKeys.Lease(orphan.Id));

        var taken = await _gateway.Services.GetRequiredService<Reconciler>().ScanOnceAsync(CancellationToken.None);

        Assert.Equal(1, taken);
        // Taken over with token 2 (the payout keeps its fence after the lease ends with a final save).
        Assert.Equal(2, PayoutValue.Parse(await db.StringGetAsync(PayoutKeys.Payout(orphan.Id)))!.Fence);
        var final = await _gateway.ClientFor().WaitFinalAsync(orphan.Id);
        Assert.Equal("succeeded", final.Str("status"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(orphan.Id));
    }

    private static PayoutRecord Payout(DateTimeOffset created) => new()
    {
        Id = Ids.Of(GatewayFactory.ClientA, Api.NewKey()),
        Client = GatewayFactory.ClientA,
        LoanId = "LN-2026-000779",
        Amount = 10.00m,
        Currency = "CNY",
        Beneficiary = new Beneficiary("王五", Accounts.New(), "ICBC"),
        Status = PayoutStatus.Processing,
        Partner = "ycb",
        CreatedAt = created,
    };

    public sealed class Harness : YcbHarness
    {
        protected override void Configure(Dictionary<string, string?> settings)
        {
            // The host's own scan loop stays out of the way: only the test's scan runs.
            settings["Recovery:BatchSize"] = "2";
            settings["Recovery:LeaseTtl"] = "00:10:00";
            settings["Recovery:ScanInterval"] = "00:05:00";
        }
    }
}

[Collection(GatewayCollection.Name)]
public sealed class ReconcilerFairnessTests(RedisFixture redis, ReconcilerFairnessCases.Harness harness) : ReconcilerFairnessCases(redis, harness), IClassFixture<ReconcilerFairnessCases.Harness>;

[Collection(RedisClusterCollection.Name)]
public sealed class ReconcilerFairnessClusterTests(RedisClusterFixture redis, ReconcilerFairnessCases.Harness harness) : ReconcilerFairnessCases(redis, harness), IClassFixture<ReconcilerFairnessCases.Harness>;
