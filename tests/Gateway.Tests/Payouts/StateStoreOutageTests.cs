using System.Net;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;
using StackExchange.Redis;

namespace Gateway.Tests.Payouts;

/// <summary>
/// Redis is stopped and restarted under a running gateway. The gateway answers 503, never calls
/// a partner for a payout it could not record, and loses nothing it did record.
/// </summary>
[Collection("RedisOutage")]
public sealed class StateStoreOutageTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private YcbSimulator _ycb = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _ycb = YcbSimulator.Start();
        _gateway = new GatewayFactory(new Dictionary<string, string?>(GatewayFactory.Settings(_redis.ConnectionString, _ycb.Url))
        {
            ["Partners:ycb:Timeout"] = "00:00:05",
            ["Partners:ycb:TotalTimeout"] = "00:00:10",
            ["Payouts:SyncBudget"] = "00:00:02",
        });
        _ = _gateway.Server;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _ycb.Dispose();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Submit_RedisDown_Returns503AndNeverCallsThePartner()
    {
        var client = _gateway.ClientFor();
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).StatusCode);
        await _redis.StopAsync();
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);

        var response = await client.SubmitAsync(key, Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.EndsWith("/state-store-unavailable", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(0, _ycb.DisburseRequestCount(id));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await _redis.StartAsync();
        await using var check = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Assert.False(await check.GetDatabase().KeyExistsAsync(PayoutKeys.Payout(id)));
        await WaitReadyAsync(client);
        var retry = await client.SubmitAsync(key, Api.Body(account: Accounts.New()));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, _ycb.ExecutionCount(id));
    }

    [Fact]
    public async Task Submit_TwoDuplicatesWhoseClaimRepliesTimeOut_OneCreatesTheOtherIsInFlight()
    {
        // Redis pauses every client for longer than the client's 3 s timeout: both claims (same key, same body, same
        // instance) time out, then run in order once the pause ends. The first creates the payout, the second finds it
        // claimed. Each request then reads the record: only the one whose claim committed may answer 201 and send it.
        var client = _gateway.ClientFor();
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).StatusCode);
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var body = Api.Body(account: Accounts.New());
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");

        await admin.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", "5500", "ALL");
        var answers = await Task.WhenAll(client.SubmitAsync(key, body), client.SubmitAsync(key, body));

        // Both claims timed out and both reads after them found the record: one 201, one 409 (before the fix: 201 twice).
        Assert.Equal([201, 409], answers.Select(a => (int)a.StatusCode).Order());
        var payout = await client.WaitFinalAsync(id);
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
        Assert.Equal(1, _ycb.ExecutionCount(id));
        var retry = await client.SubmitAsync(key, body);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task Submit_RedisStopsWhileThePartnerExecutes_Answers503ThenRecordsTheResultOnceRedisIsBack()
    {
        var client = _gateway.ClientFor();
        var account = Accounts.New();
        _ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(1)));
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);

        var submit = client.SubmitAsync(key, Api.Body(account: account));
        await Eventually.HoldsAsync(() => _ycb.DisburseRequestCount(id) == 1, "the payout never reached the bank");
        await _redis.StopAsync();
        var response = await submit;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.EndsWith("/state-store-unavailable", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(1, _ycb.ExecutionCount(id));

        // The claim was recorded (AOF, fsync always) before the partner was called; the result
        // is written as soon as Redis is back.
        await _redis.StartAsync();
        await WaitReadyAsync(client);
        var payout = await client.WaitFinalAsync(id);
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, _ycb.ExecutionCount(id));
        var replay = await client.SubmitAsync(key, Api.Body(account: account));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("succeeded", (await replay.JsonAsync()).Str("status"));
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "gateway did not reconnect to Redis");
            await Task.Delay(100);
        }
    }
}
