using Gateway.Idempotency;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Tests.Recovery;

/// <summary>
/// Fencing tokens and data loss, at the store: an instance that lost its lease is refused on
/// every write, send intent and renewal; a write that finds the record gone restores it whole.
/// </summary>
/// <summary>Run on a single Redis node (<see cref="FencingTests"/>) and on a three-primary cluster (<see cref="FencingClusterTests"/>).</summary>
public abstract class FencingCases(IGatewayRedis redis)
{
    private static readonly IOptions<RecoveryOptions> Recovery = Options.Create(new RecoveryOptions { LeaseTtl = TimeSpan.FromSeconds(30) });
    private static readonly IOptions<PayoutsOptions> Payouts = Options.Create(new PayoutsOptions());

    [Fact]
    public async Task TakeOver_AfterTheLeaseLapsed_RefusesTheOldOwnersSaveIntentRescheduleAndRenewal()
    {
        var space = redis.Allocate();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(space.ConnectionString);
        var (a, b) = (new InstanceIdentity(), new InstanceIdentity());
        var storeA = new PayoutStore(space.State(connection), Payouts, a, Recovery, TimeProvider.System);
        var storeB = new PayoutStore(space.State(connection), Payouts, b, Recovery, TimeProvider.System);
        var leasesA = new PayoutLeases(space.State(connection), a, Recovery);
        var leasesB = new PayoutLeases(space.State(connection), b, Recovery);
        var payout = Payout();
        Assert.Equal(ClaimOutcome.Created, (await new IdempotencyStore(space.State(connection), a, Recovery, Payouts).ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5))).Outcome);
        var db = space.State(connection).Db;
        Assert.Equal(PayoutLeases.Value(a, 1), (string?)await db.StringGetAsync(PayoutKeys.Lease(payout.Id)));

        // While A holds the lease nobody takes over; then A pauses past its TTL (the lease lapses).
        Assert.Equal(TakeOverOutcome.Held, (await leasesB.TryTakeOverAsync(payout.Id)).Outcome);
        await db.KeyDeleteAsync(PayoutKeys.Lease(payout.Id));
        var takeOver = await leasesB.TryTakeOverAsync(payout.Id);
        Assert.Equal(new TakeOver(TakeOverOutcome.Taken, 2), takeOver);

        var byA = payout with { Status = PayoutStatus.Failed, CompletedAt = DateTimeOffset.UtcNow };
        var save = await storeA.SaveAsync(byA, 1, "fp", fence: 1);
        var intent = await storeA.RecordIntentAsync(payout, "fp", new SendIntent("ycb", DateTimeOffset.UtcNow, 1), []);
        var rescheduled = await storeA.RescheduleAsync(payout.Id, DateTimeOffset.UtcNow, 1);
        leasesA.Hold(payout.Id, 1);
        var lost = await leasesA.RenewAsync([payout.Id]);

        Assert.Equal(SaveOutcome.Fenced, save.Outcome);
        Assert.Equal(2, save.CurrentFence);
        Assert.Equal(IntentOutcome.Fenced, intent.Outcome);
        Assert.False(rescheduled);
        Assert.Equal([payout.Id], lost);
        Assert.Equal(PayoutLeases.Value(b, 2), (string?)await db.StringGetAsync(PayoutKeys.Lease(payout.Id)));

        // B, with the current token, records its intent and writes the final status.
        Assert.Equal(IntentOutcome.Recorded, (await storeB.RecordIntentAsync(payout, "fp", new SendIntent("prb", DateTimeOffset.UtcNow, 2), [])).Outcome);
        var byB = payout with { Partner = "prb", Status = PayoutStatus.Succeeded, CompletedAt = DateTimeOffset.UtcNow, PartnerReference = "PRB1" };
        Assert.Equal(SaveOutcome.Saved, (await storeB.SaveAsync(byB, 1, "fp", fence: 2)).Outcome);

        var stored = (await storeA.GetAsync(payout.Id))!;
        Assert.Equal(PayoutStatus.Succeeded, stored.Payout.Status);
        Assert.Equal("PRB1", stored.Payout.PartnerReference);
        Assert.Equal(2, stored.Fence);
        Assert.Equal(["prb"], stored.Intents.Select(i => i.Partner));
        Assert.Equal(2, stored.Intents[0].Token);
        Assert.Equal(SaveOutcome.AlreadyFinal, (await storeA.SaveAsync(byA, stored.Version, "fp", fence: 1)).Outcome);
    }

    [Fact]
    public async Task Renew_LeaseLapsedButNobodyTookOver_IsSetAgainForTheSameToken()
    {
        var space = redis.Allocate();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(space.ConnectionString);
        var a = new InstanceIdentity();
        var leases = new PayoutLeases(space.State(connection), a, Recovery);
        var payout = Payout();
        await new IdempotencyStore(space.State(connection), a, Recovery, Payouts).ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        var db = space.State(connection).Db;
        await db.KeyDeleteAsync(PayoutKeys.Lease(payout.Id));
        leases.Hold(payout.Id, 1);

        Assert.Empty(await leases.RenewAsync([payout.Id]));
        Assert.Equal(PayoutLeases.Value(a, 1), (string?)await db.StringGetAsync(PayoutKeys.Lease(payout.Id)));
    }

    [Fact]
    public async Task Save_RecordGone_RestoresRecordLeaseReconcilerEntryAndIndexes()
    {
        var space = redis.Allocate();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(space.ConnectionString);
        var a = new InstanceIdentity();
        var store = new PayoutStore(space.State(connection), Payouts, a, Recovery, TimeProvider.System);
        var payout = Payout();
        await new IdempotencyStore(space.State(connection), a, Recovery, Payouts).ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        var intents = new[] { new SendIntent("ycb", DateTimeOffset.UtcNow, 1) };
        await store.RecordIntentAsync(payout, "fp", intents[0], []);
        await redis.LoseAllDataAsync();
        var db = space.State(connection).Db;
        Assert.False(await db.KeyExistsAsync(PayoutKeys.Payout(payout.Id)));

        var progress = payout with { Attempts = [new Attempt { Partner = "ycb", At = DateTimeOffset.UtcNow, ElapsedMs = 5, Outcome = "timeout" }] };
        var saved = await store.SaveAsync(progress, 1, "fp", fence: 1, intents);

        Assert.Equal(SaveOutcome.Saved, saved.Outcome);
        var stored = (await store.GetAsync(payout.Id))!;
        Assert.Equal(PayoutStatus.Processing, stored.Payout.Status);
        Assert.Single(stored.Payout.Attempts);
        Assert.Equal(1, stored.Fence);
        Assert.Equal(["ycb"], stored.Intents.Select(i => i.Partner));
        Assert.Equal(PayoutLeases.Value(a, 1), (string?)await db.StringGetAsync(PayoutKeys.Lease(payout.Id)));
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(payout.Id), payout.Id));
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ClientStatus(PayoutKeys.ShardOf(payout.Id), payout.Client, "processing"), payout.Id));

        // Lost again, then the final write: restored, filed as succeeded, off the reconciler's list.
        await redis.LoseAllDataAsync();
        Assert.Equal(IntentOutcome.Recorded, (await store.RecordIntentAsync(payout, "fp", new SendIntent("ycb", DateTimeOffset.UtcNow, 1), intents)).Outcome);
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(payout.Id), payout.Id));
        Assert.Equal(2, (await store.GetAsync(payout.Id))!.Intents.Count);
        await redis.LoseAllDataAsync();
        var final = await store.SaveAsync(payout with { Status = PayoutStatus.Succeeded, CompletedAt = DateTimeOffset.UtcNow }, 1, "fp", fence: 1, intents);

        Assert.Equal(SaveOutcome.Saved, final.Outcome);
        Assert.Equal("succeeded", PayoutValue.Parse(await db.StringGetAsync(PayoutKeys.Payout(payout.Id)))!.Status);
        Assert.Null(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(payout.Id), payout.Id));
        Assert.False(await db.KeyExistsAsync(PayoutKeys.Lease(payout.Id)));
        Assert.Null(await db.SortedSetScoreAsync(PayoutKeys.ClientStatus(PayoutKeys.ShardOf(payout.Id), payout.Client, "processing"), payout.Id));
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ClientStatus(PayoutKeys.ShardOf(payout.Id), payout.Client, "succeeded"), payout.Id));
    }

    private static PayoutRecord Payout() => new()
    {
        Id = "po_" + Guid.NewGuid().ToString("N"),
        Client = "fencing-" + Guid.NewGuid().ToString("N")[..8],
        LoanId = "LN-2026-000900",
        Amount = 100.00m,
        Currency = "CNY",
        Beneficiary = new Beneficiary("李四", "6222020000000009", "ICBC"),
        Status = PayoutStatus.Processing,
        Partner = "ycb",
        Routed = true,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}

[Collection(GatewayCollection.Name)]
public sealed class FencingTests(RedisFixture redis) : FencingCases(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class FencingClusterTests(RedisClusterFixture redis) : FencingCases(redis);
