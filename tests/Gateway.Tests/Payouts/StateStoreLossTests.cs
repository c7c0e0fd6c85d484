using System.Net;
using Gateway.Storage;
using Gateway.Tests.Fixtures;
using Simulators.Ycb;
using StackExchange.Redis;

namespace Gateway.Tests.Payouts;

/// <summary>
/// Redis loses its data (FLUSHALL) under a running gateway: the gateway refuses to create payouts
/// and to call missing ones absent (503 state-store-lost) until an operator accepts the loss, and a new
/// instance started on the lost store refuses too. A fresh, empty Redis just works.
/// </summary>
public sealed class StateStoreLossTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _admin = null!;
    private YcbSimulator _ycb = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        _ycb = YcbSimulator.Start();
        _gateway = NewGateway();
        _ = _gateway.Server;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _ycb.Dispose();
        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private GatewayFactory NewGateway() => new(GatewayFactory.Settings(_redis.ConnectionString, _ycb.Url));

    private Task LoseAllDataAsync() => _admin.GetServers().Single().FlushAllDatabasesAsync();

    private IDatabase Db => _admin.GetDatabase();

    [Fact]
    public async Task FreshProductionStart_EmptyRedis_AcceptsPayoutsAndWritesOneEpochOnEveryShard()
    {
        var key = Api.NewKey();

        var response = await _gateway.ClientFor().SubmitAsync(key, Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var markers = await Task.WhenAll(PayoutKeys.AllShards.Select(shard => Db.StringGetAsync(StoreEpoch.Marker(shard))));
        var epoch = Assert.Single(markers.Select(m => (string?)m).Distinct());
        Assert.False(string.IsNullOrEmpty(epoch));
        Assert.False(await Db.KeyExistsAsync(StoreEpoch.LostKey));
        var report = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/state-store");
        Assert.False(report.GetProperty("lost").GetBoolean());
        Assert.Equal(epoch, report.Str("epoch"));
    }

    [Fact]
    public async Task Start_WhileAnotherInstanceIsCreatingTheStore_AdoptsItsEpochNotALoss()
    {
        // Another instance has written shard 0's marker and not yet the others (it creates them in that order).
        await _gateway.DisposeAsync();
        await LoseAllDataAsync();
        await Db.StringSetAsync(StoreEpoch.Marker(0), "epoch-being-created");
        _gateway = NewGateway();

        var response = await _gateway.ClientFor().SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var markers = await Task.WhenAll(PayoutKeys.AllShards.Select(shard => Db.StringGetAsync(StoreEpoch.Marker(shard))));
        Assert.All(markers, m => Assert.Equal("epoch-being-created", (string?)m));
        Assert.False(await Db.KeyExistsAsync(StoreEpoch.LostKey));
    }

    [Fact]
    public async Task Submit_AfterRedisLostItsData_Returns503StateStoreLostStoresNothingAndSendsNothing()
    {
        var client = _gateway.ClientFor();
        var answeredKey = Api.NewKey();
        var body = Api.Body(account: Accounts.New());
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(answeredKey, body)).StatusCode);
        var answeredId = Ids.Of(GatewayFactory.ClientA, answeredKey);
        await LoseAllDataAsync();
        var newKey = Api.NewKey();
        var newId = Ids.Of(GatewayFactory.ClientA, newKey);

        var retry = await client.SubmitAsync(answeredKey, body);
        var fresh = await client.SubmitAsync(newKey, Api.Body(account: Accounts.New()));

        foreach (var response in new[] { retry, fresh })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.EndsWith("/state-store-lost", (await response.JsonAsync()).Str("type"), StringComparison.Ordinal);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the 503");
        }

        Assert.False(await Db.KeyExistsAsync(PayoutKeys.Payout(answeredId)));
        Assert.False(await Db.KeyExistsAsync(PayoutKeys.Payout(newId)));
        Assert.Equal(1, _ycb.DisburseRequestCount(answeredId));
        Assert.Equal(0, _ycb.DisburseRequestCount(newId));
        Assert.True(await Db.KeyExistsAsync(StoreEpoch.LostKey), "no tombstone was written");
        Assert.All(await Task.WhenAll(PayoutKeys.AllShards.Select(shard => Db.StringGetAsync(StoreEpoch.Marker(shard)))),
            marker => Assert.StartsWith("lost:", (string?)marker, StringComparison.Ordinal));

        // Still ready (the clear 503 is served by the gateway, not a balancer), reported on the on-call view and in metrics.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.True((await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/state-store")).GetProperty("lost").GetBoolean());
        var metrics = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("gateway_state_store_lost 1", metrics, StringComparison.Ordinal);
        Assert.Contains(_gateway.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Fatal
            && e.MessageTemplate.Text.StartsWith("The state store lost its data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_UnknownPayout_Is404WhileTheStoreIsIntactAnd503WhileItIsLost()
    {
        var client = _gateway.ClientFor();
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).StatusCode);
        var unknown = Ids.Of(GatewayFactory.ClientA, Api.NewKey());

        var before = await client.GetAsync($"/v1/payouts/{unknown}");
        await LoseAllDataAsync();
        var after = await client.GetAsync($"/v1/payouts/{unknown}");

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.EndsWith("/state-store-lost", (await after.JsonAsync()).Str("type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptLoss_NeedsTheOperatorKey_ThenTheSameKeyIsAcceptedAndExecutedOnce()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var body = Api.Body(account: Accounts.New());
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(key, body)).StatusCode);
        await LoseAllDataAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SubmitAsync(key, body)).StatusCode);

        var asClient = await client.PostAsync("/v1/state-store/accept-loss", null);
        var asOnCall = await _gateway.OpsClient().PostAsync("/v1/state-store/accept-loss", null);
        var anonymous = await _gateway.AnonymousClient().PostAsync("/v1/state-store/accept-loss", null);
        var stillLost = await client.SubmitAsync(key, body);
        var accepted = await _gateway.OperatorClient().PostAsync("/v1/state-store/accept-loss", null);
        var again = await _gateway.OperatorClient().PostAsync("/v1/state-store/accept-loss", null);
        var retry = await client.SubmitAsync(key, body);

        Assert.Equal(HttpStatusCode.Forbidden, asClient.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asOnCall.StatusCode); // on-call keys are read-only (payout-api.md)
        Assert.Contains("an operator key does", (await asOnCall.JsonAsync()).Str("detail"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stillLost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.False((await accepted.JsonAsync()).GetProperty("lost").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("succeeded", (await retry.JsonAsync()).Str("status"));
        Assert.Equal(1, _ycb.ExecutionCount(id));
        Assert.False(await Db.KeyExistsAsync(StoreEpoch.LostKey));
        Assert.Contains(_gateway.Logs.Events, e => e.MessageTemplate.Text.StartsWith("State store loss accepted", StringComparison.Ordinal)
            && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(GatewayFactory.Operator, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestoreFromBackup_TheOldEpochComesBack_TheGatewayResumesWithoutAnAcceptanceAndReplaysTheKey()
    {
        var client = _gateway.ClientFor();
        var key = Api.NewKey();
        var body = Api.Body(account: Accounts.New());
        var created = await (await client.SubmitAsync(key, body)).JsonAsync();
        var id = created.Str("id");
        Assert.Equal("succeeded", created.Str("status"));
        var backup = await BackupAsync();

        await LoseAllDataAsync();
        var refused = await client.SubmitAsync(key, body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(await Db.KeyExistsAsync(StoreEpoch.LostKey));

        // The operator restores the backup instead of accepting the loss: the whole dataset is replaced
        // (no tombstone in it), the markers hold the epoch the gateway knows.
        await LoseAllDataAsync();
        foreach (var (name, dump) in backup)
        {
            await Db.KeyRestoreAsync(name, dump);
        }

        var replay = await SubmitUntilNot503Async(client, key, body);
        var fresh = await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()));
        var state = await _gateway.OpsClient().GetJsonAsync("/v1/diagnostics/state-store");

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(id, (await replay.JsonAsync()).Str("id"));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.False(state.GetProperty("lost").GetBoolean());
        Assert.Equal(1, _ycb.ExecutionCount(id));
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
    }

    /// <summary>Every key with its DUMP and no TTL lost: what an RDB backup would bring back.</summary>
    private async Task<List<(RedisKey Name, byte[] Dump)>> BackupAsync()
    {
        var backup = new List<(RedisKey, byte[])>();
        await foreach (var name in _admin.GetServers().Single().KeysAsync(pattern: "*"))
        {
            if (await Db.KeyDumpAsync(name) is { } dump)
            {
                backup.Add((name, dump));
            }
        }

        Assert.Contains(backup, k => k.Item1 == StoreEpoch.Marker(0));
        return backup;
    }

    /// <summary>The same submission until the answer is not a 503 (the gateway rechecks the store at least every second), at most 10 s.</summary>
    private static async Task<HttpResponseMessage> SubmitUntilNot503Async(HttpClient client, string key, object body)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await client.SubmitAsync(key, body);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > until)
            {
                return response;
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task NewInstance_StartingOnATombstonedStore_RefusesUntilTheLossIsAccepted()
    {
        var client = _gateway.ClientFor();
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).StatusCode);
        await LoseAllDataAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).StatusCode);

        await using var started = NewGateway();
        var key = Api.NewKey();
        var body = Api.Body(account: Accounts.New());
        var refused = await started.ClientFor().SubmitAsync(key, body);
        var unknown = await started.ClientFor().GetAsync($"/v1/payouts/{Ids.Of(GatewayFactory.ClientA, Api.NewKey())}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.EndsWith("/state-store-lost", (await refused.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unknown.StatusCode);
        Assert.Equal(0, _ycb.DisburseRequestCount(Ids.Of(GatewayFactory.ClientA, key)));

        // Accepted through the first instance: the new one adopts the new epoch (at its next check, or on its refused claim).
        Assert.Equal(HttpStatusCode.OK, (await _gateway.OperatorClient().PostAsync("/v1/state-store/accept-loss", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await started.ClientFor().SubmitAsync(key, body)).StatusCode);
        Assert.Equal(1, _ycb.ExecutionCount(Ids.Of(GatewayFactory.ClientA, key)));
    }

    [Fact]
    public async Task SharedIdSecret_AfterTheLoss_IsWrittenBack_SoANewInstanceDerivesTheSameIds()
    {
        await using var first = SharedSecretGateway();
        var key = Api.NewKey();
        var body = Api.Body(account: Accounts.New());
        var created = await first.ClientFor().SubmitAsync(key, body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).Str("id");
        await LoseAllDataAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await first.ClientFor().SubmitAsync(Api.NewKey(), body)).StatusCode);

        await using var started = SharedSecretGateway();
        var refused = await started.ClientFor().SubmitAsync(key, body);
        Assert.Equal(HttpStatusCode.OK, (await started.OperatorClient().PostAsync("/v1/state-store/accept-loss", null)).StatusCode);
        var again = await started.ClientFor().SubmitAsync(key, body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(id, (await again.JsonAsync()).Str("id"));
        Assert.Equal(1, _ycb.ExecutionCount(id));
    }

    /// <summary>A gateway with no <c>Payouts:IdSecret</c>: the id secret is the one shared in Redis.</summary>
    private GatewayFactory SharedSecretGateway()
    {
        var settings = GatewayFactory.Settings(_redis.ConnectionString, _ycb.Url);
        settings.Remove("Payouts:IdSecret");
        return new GatewayFactory(settings);
    }
}
