using Gateway.Storage;
using Gateway.Tests.Fixtures;
using StackExchange.Redis;

namespace Gateway.Tests.Cluster;

/// <summary>
/// The key schema a cluster accepts, asked of Redis itself (<c>CLUSTER KEYSLOT</c>): every key a
/// script touches for one payout is in one slot, whatever the key prefix; the shard tags spread
/// over the slot space so that equal slot ranges get equal shares of payouts.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class KeySchemaTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task EveryKeyOfOnePayout_HasTheSlotOfItsShard_WithOrWithoutAKeyPrefix()
    {
        foreach (var id in Enumerable.Range(0, 40).Select(i => Ids.Of(GatewayFactory.ClientA, $"key-schema-{i}")))
        {
            var shard = PayoutKeys.ShardOf(id);
            RedisKey[] keys =
            [
                PayoutKeys.Payout(id), PayoutKeys.InFlight(id), PayoutKeys.Lease(id), PayoutKeys.Processing(shard),
                PayoutKeys.ClientStatus(shard, "lender-a", "processing"), PayoutKeys.ClientStatus(shard, "lender-a", "failed"),
                PayoutKeys.ClientCause(shard, "lender-a", "ACCOUNT_FROZEN"), PayoutKeys.ClientCategory(shard, "lender-a", "beneficiary_account"),
                PayoutKeys.OutcomesMinute(shard, 29_000_000), PayoutKeys.OutcomesHour(shard, 490_000),
                PayoutKeys.RecentFailed(shard), PayoutKeys.RecentFailures(shard, "ycb"), StoreEpoch.Marker(shard),
            ];
            var slots = new HashSet<long>();
            foreach (var key in keys)
            {
                slots.Add(await SlotAsync(key.ToString()));
                slots.Add(await SlotAsync("t42:" + key.ToString()));
            }

            Assert.Single(slots);
        }
    }

    [Fact]
    public async Task ShardTags_EachLieInTheirOwnSixteenthOfTheSlots()
    {
        for (var shard = 0; shard < PayoutKeys.Shards; shard++)
        {
            var slot = await SlotAsync(PayoutKeys.Processing(shard).ToString());
            Assert.Equal(shard, slot / (16384 / PayoutKeys.Shards));
        }
    }

    [Fact]
    public void ShardOf_IsStableAndSpreadsPayoutIdsEvenly()
    {
        var counts = new int[PayoutKeys.Shards];
        for (var i = 0; i < 16_000; i++)
        {
            counts[PayoutKeys.ShardOf(Ids.Of(GatewayFactory.ClientA, $"spread-{i}"))]++;
        }

        // 1,000 expected per shard: within ±15 %.
        Assert.All(counts, count => Assert.InRange(count, 850, 1150));
        // The shard of an id is stored layout: pinned, so a change of hash strands no payout unnoticed.
        Assert.Equal(7, PayoutKeys.ShardOf("po_aaaaaaaaaaaaaaaaaaaaaaaaaa"));
        Assert.Equal(10, PayoutKeys.ShardOf("po_abcdefghijklmnopqrstuvwxyz"));
        Assert.Equal("gw:{p7.12}:payout:po_aaaaaaaaaaaaaaaaaaaaaaaaaa", PayoutKeys.Payout("po_aaaaaaaaaaaaaaaaaaaaaaaaaa").ToString());
    }

    private async Task<long> SlotAsync(string key) =>
        (long)await cluster.Connection.GetServers()[0].ExecuteAsync("CLUSTER", "KEYSLOT", key);
}
