using Gateway.Tests.Fixtures;
using Orchestration;
using StackExchange.Redis;

namespace Gateway.Tests.Cluster;

/// <summary>
/// The Redis Cluster the cluster tests run on is a real one: three primaries own all 16384 slots,
/// StackExchange.Redis routes a script whose keys share a hash tag, and a script whose keys are
/// in two slots is refused, so a gateway test on this cluster catches a cross-slot script.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterTests(RedisClusterFixture redis)
{
    private const string SetBothThenGet = "redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], ARGV[1]) return redis.call('GET', KEYS[2])";

    private readonly string _prefix = redis.AllocatePrefix();

    [Fact]
    public async Task Forms_ThreePrimaries_CoveringAllSlots()
    {
        foreach (var node in redis.Cluster.Nodes)
        {
            var info = await RedisCluster.ClusterInfoAsync(node);
            Assert.Equal("ok", RedisCli.Field(info, "cluster_state"));
            Assert.Equal("16384", RedisCli.Field(info, "cluster_slots_assigned"));
            Assert.Equal("16384", RedisCli.Field(info, "cluster_slots_ok"));
            Assert.Equal("3", RedisCli.Field(info, "cluster_known_nodes"));
            Assert.Equal("3", RedisCli.Field(info, "cluster_size"));
        }

        var servers = redis.Connection.GetServers();
        Assert.Equal(3, servers.Length);
        Assert.All(servers, s => Assert.False(s.IsReplica, $"{s.EndPoint} is a replica"));
        var nodes = (await servers[0].ClusterNodesAsync())!.Nodes;
        Assert.Equal(3, nodes.Count(n => !n.IsReplica && n.Slots.Count > 0));
        var covered = nodes.SelectMany(n => n.Slots).SelectMany(r => Enumerable.Range(r.From, r.To - r.From + 1)).ToHashSet();
        Assert.Equal(16384, covered.Count);
        Assert.Equal(0, covered.Min());
        Assert.Equal(16383, covered.Max());
    }

    [Fact]
    public async Task Script_KeysSharingOneHashTag_RunsOnTheNodeOwningTheSlot()
    {
        RedisKey x = _prefix + "{a}:x";
        RedisKey y = _prefix + "{a}:y";
        Assert.Equal(redis.Connection.HashSlot(x), redis.Connection.HashSlot(y));

        var result = await redis.Connection.GetDatabase().ScriptEvaluateAsync(SetBothThenGet, [x, y], ["v"]);

        Assert.Equal("v", (string?)result);
        var owner = redis.Connection.GetServer(x);
        Assert.Equal("v", (string?)await owner.ExecuteAsync("GET", (string)x!));
    }

    [Fact]
    public async Task Script_KeysInTwoSlots_IsRefused()
    {
        RedisKey x = _prefix + "{a}:x";
        RedisKey y = _prefix + "{b}:y";
        Assert.NotEqual(redis.Connection.HashSlot(x), redis.Connection.HashSlot(y));

        // Through the database API, as the gateway calls scripts: StackExchange.Redis refuses before sending
        // (a RedisCommandException, "Multi-key operations must involve a single slot").
        var client = await Assert.ThrowsAsync<RedisCommandException>(() => redis.Connection.GetDatabase().ScriptEvaluateAsync(SetBothThenGet, [x, y], ["v"]));
        Assert.Contains("slot", client.Message, StringComparison.OrdinalIgnoreCase);

        // Sent as it is to a node (the keys as plain arguments, so the client does not check): Redis says CROSSSLOT.
        var server = await Assert.ThrowsAsync<RedisServerException>(() =>
            redis.Connection.GetServer(x).ExecuteAsync("EVAL", SetBothThenGet, 2, (string)x!, (string)y!, "v"));
        Assert.StartsWith("CROSSSLOT", server.Message, StringComparison.Ordinal);

        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(x));
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(y));
    }

    [Fact]
    public async Task Script_TouchingAnUndeclaredKeyOfAnotherNode_IsRefused()
    {
        RedisKey declared = _prefix + "{a}:x";
        RedisKey undeclared = _prefix + "{b}:y";
        Assert.NotEqual(redis.Connection.GetServer(declared).EndPoint, redis.Connection.GetServer(undeclared).EndPoint);

        await Assert.ThrowsAsync<RedisServerException>(() => redis.Connection.GetDatabase().ScriptEvaluateAsync(
            "return redis.call('SET', ARGV[1], 'v')", [declared], [(string)undeclared!]));

        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(undeclared));
    }

    [Fact]
    public async Task Undisturbed_StaysOk_PastTheNodeTimeout()
    {
        await Task.Delay(TimeSpan.FromSeconds(3)); // longer than --cluster-node-timeout 2000

        foreach (var node in redis.Cluster.Nodes)
        {
            Assert.True(node.IsRunning);
            Assert.Equal("ok", RedisCli.Field(await RedisCluster.ClusterInfoAsync(node), "cluster_state"));
            var nodes = await RedisCli.CommandAsync(node.Port, ["CLUSTER", "NODES"]);
            Assert.DoesNotContain("fail", nodes, StringComparison.Ordinal);
        }
    }
}
