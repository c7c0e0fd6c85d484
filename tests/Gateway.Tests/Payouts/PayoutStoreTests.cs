using Gateway.Diagnosis;
using Gateway.Idempotency;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Payouts;

/// <summary>
/// The rules Redis itself enforces, whatever the C# above it does. Run on a single Redis node
/// (<see cref="PayoutStoreTests"/>) and on a three-primary cluster (<see cref="PayoutStoreClusterTests"/>).
/// </summary>
public abstract class PayoutStoreCases
{
    private readonly RedisSpace _space;
    private readonly PayoutStore _store;
    private readonly IdempotencyStore _idempotency;

    protected PayoutStoreCases(IGatewayRedis redis)
    {
        _space = redis.Allocate();
        _store = new(_space.State(), Options.Create(new PayoutsOptions()), new InstanceIdentity(), Options.Create(new RecoveryOptions()), TimeProvider.System);
        _idempotency = new(_space.State(), new InstanceIdentity(), Options.Create(new RecoveryOptions()), Options.Create(new PayoutsOptions()));
    }

    [Fact]
    public async Task Save_OverAFinalStatus_IsRefusedInRedisAndLeavesTheRecordUnchanged()
    {
        var payout = NewPayout();
        await _idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        var succeeded = payout with { Status = PayoutStatus.Succeeded, PartnerReference = "YCB1" };
        var saved = await _store.SaveAsync(succeeded, 1, "fp", 1);
        Assert.Equal(SaveOutcome.Saved, saved.Outcome);

        // A stale writer (even one holding the current version) tries to turn it into a failure.
        var failed = payout with { Status = PayoutStatus.Failed };
        var refused = await _store.SaveAsync(failed, saved.Current.Version, "fp", 1);

        Assert.Equal(SaveOutcome.AlreadyFinal, refused.Outcome);
        var stored = await _store.GetAsync(payout.Id);
        Assert.Equal(PayoutStatus.Succeeded, stored!.Payout.Status);
        Assert.Equal("succeeded", PayoutValue.Parse(await _space.Db.StringGetAsync(PayoutKeys.Payout(payout.Id)))!.Status);
    }

    [Fact]
    public async Task Save_WithAStaleVersion_IsAConflict()
    {
        var payout = NewPayout();
        await _idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        await _store.SaveAsync(payout with { Attempts = [Attempt()] }, 1, "fp", 1);

        var stale = await _store.SaveAsync(payout with { Status = PayoutStatus.Succeeded }, 1, "fp", 1);

        Assert.Equal(SaveOutcome.Conflict, stale.Outcome);
        Assert.Equal(PayoutStatus.Processing, (await _store.GetAsync(payout.Id))!.Payout.Status);
    }

    [Fact]
    public async Task FinalStatus_StartsTheRetentionTtl_ProcessingHasTheLongerProcessingLifetime()
    {
        var payout = NewPayout();
        await _idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        var db = _space.Db;
        Assert.InRange((await db.KeyTimeToLiveAsync(PayoutKeys.Payout(payout.Id)))!.Value, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(payout.Id), payout.Id));

        await _store.SaveAsync(payout with { Status = PayoutStatus.Succeeded }, 1, "fp", 1);

        var ttl = await db.KeyTimeToLiveAsync(PayoutKeys.Payout(payout.Id));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        Assert.Null(await db.SortedSetScoreAsync(PayoutKeys.ProcessingOf(payout.Id), payout.Id));
    }

    [Fact]
    public async Task Claim_SecondTime_ReportsInFlightThenReplayAfterRelease()
    {
        var payout = NewPayout();
        Assert.Equal(ClaimOutcome.Created, (await _idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5))).Outcome);

        var inFlight = await _idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        Assert.Equal(ClaimOutcome.InFlight, inFlight.Outcome);
        Assert.InRange(inFlight.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(ClaimOutcome.Mismatch, (await _idempotency.ClaimAsync(payout, "other", TimeSpan.FromSeconds(5))).Outcome);

        await _idempotency.ReleaseAsync(payout.Id);
        var replay = await _idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(5));
        Assert.Equal(ClaimOutcome.Replay, replay.Outcome);
        Assert.Equal(payout.Id, replay.Current!.Id);
    }

    private static PayoutRecord NewPayout() => new()
    {
        Id = Ids.Of("store-tests", Guid.NewGuid().ToString()),
        Client = "store-tests",
        LoanId = "LN-1",
        Amount = 12.30m,
        Currency = "CNY",
        Beneficiary = new Beneficiary("张三", Api.Account, "ICBC"),
        Status = PayoutStatus.Processing,
        Partner = "ycb",
        CreatedAt = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero),
    };

    private static Attempt Attempt() => new()
    {
        Partner = "ycb", At = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), ElapsedMs = 3, Outcome = "timeout",
    };
}

[Collection(GatewayCollection.Name)]
public sealed class PayoutStoreTests(RedisFixture redis) : PayoutStoreCases(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class PayoutStoreClusterTests(RedisClusterFixture redis) : PayoutStoreCases(redis);
