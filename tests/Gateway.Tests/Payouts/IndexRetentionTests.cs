using Gateway.Auth;
using Gateway.Diagnosis;
using Gateway.Idempotency;
using Gateway.Payouts;
using Gateway.Recovery;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Payouts;

/// <summary>The list indexes drop entries past retention plus a week, and never a processing payout.</summary>
[Collection(GatewayCollection.Name)]
public sealed class IndexRetentionTests(RedisFixture redis)
{
    [Fact]
    public async Task Trim_OldFinalEntriesGoProcessingAndRecentOnesStay()
    {
        var client = "retention-" + Guid.NewGuid().ToString("N")[..8];
        var options = Options.Create(new PayoutsOptions());
        var store = new PayoutStore(StateDatabase.Of(redis.Connection), options, new InstanceIdentity(), Options.Create(new RecoveryOptions()), TimeProvider.System);
        var idempotency = new IdempotencyStore(StateDatabase.Of(redis.Connection), new InstanceIdentity(), Options.Create(new RecoveryOptions()), Options.Create(new PayoutsOptions()));
        var now = DateTimeOffset.UtcNow;
        var old = Payout(client, now - TimeSpan.FromDays(40));
        var oldProcessing = Payout(client, now - TimeSpan.FromDays(40));
        var recent = Payout(client, now - TimeSpan.FromHours(1));
        foreach (var payout in new[] { old, oldProcessing, recent })
        {
            await idempotency.ClaimAsync(payout, "fp", TimeSpan.FromSeconds(1));
        }

        await store.SaveAsync(old with { Status = PayoutStatus.Succeeded, CompletedAt = old.CreatedAt }, 1, "fp", 1);
        await store.SaveAsync(recent with { Status = PayoutStatus.Succeeded, CompletedAt = now }, 1, "fp", 1);
        var retention = new IndexRetention(StateDatabase.Of(redis.Connection), CauseCatalogue.Load(CauseCatalogue.DefaultPath),
            Options.Create(new ApiKeyOptions { ApiKeys = { [client] = "k" } }), options, TimeProvider.System,
            NullLogger<IndexRetention>.Instance);

        await retention.TrimAsync();

        var db = redis.Connection.GetDatabase();
        Assert.Null(await db.SortedSetScoreAsync(PayoutKeys.ClientStatus(PayoutKeys.ShardOf(old.Id), client, "succeeded"), old.Id));
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ClientStatus(PayoutKeys.ShardOf(recent.Id), client, "succeeded"), recent.Id));
        Assert.NotNull(await db.SortedSetScoreAsync(PayoutKeys.ClientStatus(PayoutKeys.ShardOf(oldProcessing.Id), client, "processing"), oldProcessing.Id));
    }

    private static PayoutRecord Payout(string client, DateTimeOffset createdAt) => new()
    {
        Id = Ids.Of(client, Guid.NewGuid().ToString()),
        Client = client,
        LoanId = "LN-1",
        Amount = 1.00m,
        Currency = "CNY",
        Beneficiary = new Beneficiary("张三", Api.Account, "ICBC"),
        Status = PayoutStatus.Processing,
        Partner = "ycb",
        CreatedAt = createdAt,
    };
}
