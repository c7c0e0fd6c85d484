using System.Net;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;

namespace Gateway.Tests.Idempotency;

/// <summary>Run on a single Redis node (<see cref="IdempotencyTests"/>) and on a three-primary cluster (<see cref="IdempotencyClusterTests"/>).</summary>
public abstract class IdempotencyCases(IGatewayRedis redis, YcbHarness harness)
{
    private readonly GatewayFactory _gateway = harness.Gateway(redis);

    [Fact]
    public async Task Submit_NewKey_Returns201WithLocationAndExecutesOnce()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();

        var response = await client.SubmitAsync(key, Api.Body());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payout = await response.JsonAsync();
        var id = payout.Str("id");
        Assert.Equal(Ids.Of(GatewayFactory.ClientA, key), id);
        Assert.Equal($"/v1/payouts/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal("5000.00", payout.Str("amount"));
        Assert.Equal("************3445", payout.Str("beneficiary.accountNumber"));
        Assert.Equal("张*", payout.Str("beneficiary.name"));
        Assert.Equal("app", payout.Str("metadata.channel"));
        Assert.StartsWith("YCB", payout.Str("partnerReference"), StringComparison.Ordinal);
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
        var executed = Assert.Single(harness.Ycb.Executions, e => e.ReqSeqNo == id);
        Assert.Equal(5000.00m, executed.Amount);
        Assert.Equal(Api.Account, executed.PayeeAcctNo);
    }

    [Fact]
    public async Task Submit_SameKeySameBodyReordered_ReplaysCurrentResourceWithoutSending()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var first = await (await client.SubmitAsync(key, Api.Body())).JsonAsync();

        // Same content, other key order and whitespace: equal after parsing.
        var reordered = """
            {  "metadata": {"channel":"app"}, "partner":"ycb",
               "beneficiary": {"bankCode":"ICBC","accountNumber":"6222020200112233445","name":"张三"},
               "currency":"CNY", "amount":"5000.00", "loanId":"LN-2026-000123" }
            """;
        var replay = await client.SubmitRawAsync(key, reordered);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var body = await replay.JsonAsync();
        Assert.Equal(first.Str("id"), body.Str("id"));
        Assert.Equal("succeeded", body.Str("status"));
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(first.Str("id")));
    }

    [Fact]
    public async Task Submit_SameKeyDifferentBody_Returns422AndSendsNothing()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var first = await (await client.SubmitAsync(key, Api.Body(amount: "100.00"))).JsonAsync();

        var reused = await client.SubmitAsync(key, Api.Body(amount: "200.00"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/idempotency-key-reused", (await reused.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(first.Str("id")));
        var stored = await (await client.GetAsync($"/v1/payouts/{first.Str("id")}")).JsonAsync();
        Assert.Equal("100.00", stored.Str("amount"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("key with é non-ascii")]
    [InlineData("tab\tkey")]
    public async Task Submit_MissingOrMalformedKey_Returns400AndStoresNothing(string? key)
    {
        var client = _gateway.ClientFor();

        var response = await client.SubmitAsync(key, Api.Body());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("/idempotency-key-missing", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(key))
        {
            Assert.False(await harness.Space.Db.KeyExistsAsync(PayoutKeys.Payout(Ids.Of(GatewayFactory.ClientA, key))));
        }
    }

    [Fact]
    public async Task Submit_KeyTooLong_Returns400()
    {
        var response = await _gateway.ClientFor().SubmitAsync(new string('k', 256), Api.Body());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Submit_WhileFirstRequestInFlight_Returns409WithRetryAfter()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var account = "62220202" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999);
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromMilliseconds(700)));

        var first = client.SubmitAsync(key, Api.Body(account: account));
        var id = Ids.Of(GatewayFactory.ClientA, key);
        await Eventually.HoldsAsync(() => harness.Ycb.DisburseRequestCount(id) == 1, "the first request never reached the bank");
        var second = await client.SubmitAsync(key, Api.Body(account: account));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.EndsWith("/idempotency-key-in-use", (await second.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.True(int.Parse(second.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
    }

    [Fact]
    public async Task Submit_FiftyConcurrentRequestsWithOneKey_ExecuteExactlyOnce()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var account = "62220202" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999);
        harness.Ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromMilliseconds(300)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.SubmitAsync(key, Api.Body(account: account))));

        var id = Ids.Of(GatewayFactory.ClientA, key);
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r =>
            Assert.True(r.StatusCode == HttpStatusCode.Conflict
                || (r.StatusCode == HttpStatusCode.OK && r.Headers.Contains("Idempotent-Replayed")), $"unexpected {r.StatusCode}"));
        // The one execution may still be under way when the answers are in (the 201 comes within
        // the sync budget, as processing on a slow machine): judge once the payout is final.
        Assert.Equal("succeeded", (await client.WaitFinalAsync(id)).Str("status"));
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(id));
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
    }

    [Fact]
    public async Task Submit_SameKeyFromTwoClients_CreatesTwoPayouts()
    {
        var key = Api.NewKey();

        var a = await (await _gateway.ClientFor(GatewayFactory.KeyA).SubmitAsync(key, Api.Body())).JsonAsync();
        var b = await (await _gateway.ClientFor(GatewayFactory.KeyB).SubmitAsync(key, Api.Body(amount: "10.00"))).JsonAsync();

        Assert.NotEqual(a.Str("id"), b.Str("id"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(a.Str("id")));
        Assert.Equal(1, harness.Ycb.ExecutionCount(b.Str("id")));
        var asOther = await _gateway.ClientFor(GatewayFactory.KeyB).GetAsync($"/v1/payouts/{a.Str("id")}");
        Assert.Equal(HttpStatusCode.NotFound, asOther.StatusCode);
    }

    [Fact]
    public async Task Submit_RetryAfterRedisLostTheKey_RefusedUntilAnOperatorAcceptsTheLossThenPartnerExecutesOnce()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var first = await (await client.SubmitAsync(key, Api.Body())).JsonAsync();
        var id = first.Str("id");
        Assert.Equal("succeeded", first.Str("status"));

        // Redis loses everything (FLUSHALL stands in for a crash without persistence): the key may
        // have been answered, so it is refused, not sent again blind, until an operator accepts the loss.
        await redis.LoseAllDataAsync();
        var refused = await client.SubmitAsync(key, Api.Body());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.EndsWith("/state-store-lost", (await refused.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(1, harness.Ycb.DisburseRequestCount(id));
        Assert.Equal(HttpStatusCode.OK, (await _gateway.OperatorClient().PostAsync("/v1/state-store/accept-loss", null)).StatusCode);
        var retry = await client.SubmitAsync(key, Api.Body());

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var payout = await retry.JsonAsync();
        Assert.Equal(id, payout.Str("id"));
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, harness.Ycb.ExecutionCount(id));
        Assert.Equal(2, harness.Ycb.DisburseRequestCount(id));
        var outcomes = payout.GetProperty("attempts").EnumerateArray().Select(a => a.Str("outcome")).ToArray();
        Assert.Equal(["duplicate", "inquiry"], outcomes);
    }
}

[Collection(GatewayCollection.Name)]
public sealed class IdempotencyTests(RedisFixture redis, YcbHarness harness) : IdempotencyCases(redis, harness), IClassFixture<YcbHarness>;

[Collection(RedisClusterCollection.Name)]
public sealed class IdempotencyClusterTests : IdempotencyCases, IClassFixture<YcbHarness>
{
    private readonly RedisClusterFixture _cluster;
    private readonly YcbHarness _harness;

    public IdempotencyClusterTests(RedisClusterFixture redis, YcbHarness harness) : base(redis, harness)
    {
        _cluster = redis;
        _harness = harness;
    }

    /// <summary>
    /// A partial loss: one of the three primaries restarts empty (its FLUSHALL stands in), the other two keep
    /// their data. The lost node's keys may have been answered, so the whole store is refused (a loss anywhere
    /// is a loss), not only that node's shards, until an operator accepts it; a payout on an intact node stays
    /// readable meanwhile, and after the acceptance the lost key executes once at the partner.
    /// </summary>
    [Fact]
    public async Task Submit_OnePrimaryLostItsData_EveryShardRefusedUntilAnOperatorAcceptsThenExecutedOnce()
    {
        var gateway = _harness.Gateway(_cluster);
        var client = gateway.ClientFor();
        var lostKey = Api.NewKey();
        var lostBody = Api.Body(account: Accounts.New());
        var lost = await (await client.SubmitAsync(lostKey, lostBody)).JsonAsync();
        var lostId = lost.Str("id");
        var lostNode = await NodeOfAsync(lostId);
        var intactKey = await KeyOnAnotherNodeAsync(lostNode);
        var intact = await (await client.SubmitAsync(intactKey, Api.Body(account: Accounts.New()))).JsonAsync();
        var freshKey = await KeyOnAnotherNodeAsync(lostNode);
        var freshBody = Api.Body(account: Accounts.New());
        Assert.Equal("succeeded", lost.Str("status"));
        Assert.Equal("succeeded", intact.Str("status"));

        await _cluster.Connection.GetServer(lostNode).FlushAllDatabasesAsync();
        var retryLost = await client.SubmitAsync(lostKey, lostBody);
        var onIntactNode = await client.SubmitAsync(freshKey, freshBody);
        var readIntact = await client.GetAsync($"/v1/payouts/{intact.Str("id")}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, retryLost.StatusCode);
        Assert.EndsWith("/state-store-lost", (await retryLost.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, onIntactNode.StatusCode);
        Assert.EndsWith("/state-store-lost", (await onIntactNode.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(0, _harness.Ycb.DisburseRequestCount(Ids.Of(GatewayFactory.ClientA, freshKey)));
        Assert.Equal(1, _harness.Ycb.DisburseRequestCount(lostId));
        Assert.Equal(HttpStatusCode.OK, readIntact.StatusCode);
        Assert.Equal("succeeded", (await readIntact.JsonAsync()).Str("status"));

        Assert.Equal(HttpStatusCode.OK, (await gateway.OperatorClient().PostAsync("/v1/state-store/accept-loss", null)).StatusCode);
        var afterLost = await client.SubmitAsync(lostKey, lostBody);
        var afterFresh = await client.SubmitAsync(freshKey, freshBody);

        Assert.Equal(HttpStatusCode.Created, afterLost.StatusCode);
        Assert.Equal(lostId, (await afterLost.JsonAsync()).Str("id"));
        Assert.Equal(1, _harness.Ycb.ExecutionCount(lostId));
        Assert.Equal(HttpStatusCode.Created, afterFresh.StatusCode);
        Assert.Equal(1, _harness.Ycb.ExecutionCount(Ids.Of(GatewayFactory.ClientA, freshKey)));
    }

    /// <summary>The primary holding <paramref name="payoutId"/>'s shard (the key prefix has no braces, so the slot is the tag's).</summary>
    private async Task<System.Net.EndPoint> NodeOfAsync(string payoutId) =>
        await _cluster.Connection.GetDatabase().IdentifyEndpointAsync(Gateway.Storage.PayoutKeys.Payout(payoutId))
        ?? throw new InvalidOperationException("no endpoint for the payout's slot");

    /// <summary>A new Idempotency-Key whose payout's shard is held by another primary than <paramref name="node"/> (bounded search).</summary>
    private async Task<string> KeyOnAnotherNodeAsync(System.Net.EndPoint node)
    {
        for (var i = 0; i < 200; i++)
        {
            var key = Api.NewKey();
            if (!Equals(await NodeOfAsync(Ids.Of(GatewayFactory.ClientA, key)), node))
            {
                return key;
            }
        }

        throw new InvalidOperationException("no key found on another primary in 200 tries");
    }
}
