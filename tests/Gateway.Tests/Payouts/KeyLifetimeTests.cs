using Gateway.Diagnosis;
using Gateway.Idempotency;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Tests.Payouts;

/// <summary>
/// Every key the gateway writes has a bounded lifetime, processing payouts included, so an
/// evicting Redis is never needed to keep memory bounded; only the reconciler's work list,
/// which empties itself as payouts end, has none.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class KeyLifetimeTests(RedisFixture redis)
{
    [Fact]
    public async Task ClaimAndSave_EveryKeyWritten_HasATimeToLive()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionStringFor(redis.AllocateDatabase()));
        var options = new PayoutsOptions { ProcessingLifetime = TimeSpan.FromDays(3), RetentionAfterFinal = TimeSpan.FromHours(24) };
        var store = new PayoutStore(StateDatabase.Of(connection), Options.Create(options), new InstanceIdentity(), Options.Create(new RecoveryOptions()), TimeProvider.System);
        var idempotency = new IdempotencyStore(StateDatabase.Of(connection), new InstanceIdentity(), Options.Create(new RecoveryOptions()), Options.Create(options));
        var processing = Payout();
        var succeeded = Payout();
        var failed = Payout();
        foreach (var payout in new[] { processing, succeeded, failed })
        {
            Assert.Equal(ClaimOutcome.Created, (await idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(30))).Outcome);
        }

        await store.SaveAsync(processing with { Attempts = [new Attempt { Partner = "ycb", At = DateTimeOffset.UtcNow, ElapsedMs = 5, Outcome = "timeout" }] }, 1, "fp", 1);
        await store.SaveAsync(succeeded with { Status = PayoutStatus.Succeeded, CompletedAt = DateTimeOffset.UtcNow }, 1, "fp", 1);
        await store.SaveAsync(failed with
        {
            Status = PayoutStatus.Failed,
            CompletedAt = DateTimeOffset.UtcNow,
            Failure = new Failure
            {
                Category = "beneficiary_account", Cause = "ACCOUNT_FROZEN", Owner = "borrower", Resubmit = "resubmit_after_fix",
                Summary = "frozen", BorrowerMessage = new Dictionary<string, string>(),
                Evidence = new Evidence { Partner = "ycb", PartnerCode = "1003", Attempts = 1, ElapsedMs = 5, Circuit = "closed" },
            },
        }, 1, "fp", 1);

        var db = connection.GetDatabase();
        var server = connection.GetServers().Single();
        var keys = server.Keys(connection.GetDatabase().Database, "*").Select(k => (string)k!).ToList();
        Assert.Contains((string)PayoutKeys.Payout(processing.Id)!, keys);
        Assert.Contains((string)PayoutKeys.ClientCause(PayoutKeys.ShardOf(failed.Id), Client, "ACCOUNT_FROZEN")!, keys);
        var reconcilerLists = PayoutKeys.AllShards.Select(shard => (string)PayoutKeys.Processing(shard)!).ToHashSet();
        foreach (var key in keys.Where(k => !reconcilerLists.Contains(k)))
        {
            Assert.True(await db.KeyTimeToLiveAsync(key) is not null, $"{key} has no time to live");
        }

        var processingTtl = await db.KeyTimeToLiveAsync(PayoutKeys.Payout(processing.Id));
        Assert.InRange(processingTtl!.Value, TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(3));
        var finalTtl = await db.KeyTimeToLiveAsync(PayoutKeys.Payout(succeeded.Id));
        Assert.InRange(finalTtl!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));

        // The reconciler's recheck renews a processing payout's lifetime, never a final one's retention.
        await db.KeyExpireAsync(PayoutKeys.Payout(processing.Id), TimeSpan.FromHours(1));
        await store.RescheduleAsync(processing.Id, DateTimeOffset.UtcNow.AddMinutes(1), 1);
        await store.RescheduleAsync(succeeded.Id, DateTimeOffset.UtcNow.AddMinutes(1), 1);
        Assert.True(await db.KeyTimeToLiveAsync(PayoutKeys.Payout(processing.Id)) > TimeSpan.FromDays(2));
        Assert.True(await db.KeyTimeToLiveAsync(PayoutKeys.Payout(succeeded.Id)) <= TimeSpan.FromHours(24));
    }

    private const string Client = "lifetime-lender";

    private static PayoutRecord Payout() => new()
    {
        Id = Ids.Of(Client, Guid.NewGuid().ToString()),
        Client = Client,
        LoanId = "LN-1",
        Amount = 1.00m,
        Currency = "CNY",
        Beneficiary = new Beneficiary("张三", Api.Account, "ICBC"),
        Status = PayoutStatus.Processing,
        Partner = "ycb",
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
