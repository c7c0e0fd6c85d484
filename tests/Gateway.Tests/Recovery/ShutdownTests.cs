using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Ycb;

namespace Gateway.Tests.Recovery;

/// <summary>
/// SIGTERM to a real gateway process (as <c>docker stop</c> or Kubernetes sends it): the partner
/// call in flight finishes and is recorded, the instance turns not-ready and refuses new payouts,
/// a payout still unresolved is handed to another instance at once, and the process exits 0.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ShutdownTests(RedisFixture redis) : IAsyncLifetime
{
    /// <summary>Far longer than any wait below: a takeover seen in time was not a lapsed lease.</summary>
    private const string LeaseTtl = "00:00:30";

    private YcbSimulator _ycb = null!;

    public Task InitializeAsync()
    {
        // 6299…0001 executes at once and answers after SlowDelay; 6299…0003 answers P and settles after SettleAfter.
        _ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(4), SettleAfter = TimeSpan.FromSeconds(6) });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _ycb.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sigterm_DuringAPartnerCall_CallFinishesIsRecordedAndTheProcessExitsZero()
    {
        var database = redis.AllocateDatabase();
        await using var gateway = await GatewayProcesses.StartAsync(Settings(database));
        using var client = gateway.ClientFor();
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var submit = client.SubmitAsync(key, Api.Body(account: "629900000000000001"));
        await Eventually.HoldsAsync(() => _ycb.ExecutionCount(id) == 1, "the bank never executed the payout");

        var clock = Stopwatch.StartNew();
        await gateway.TerminateAsync();

        // While it drains: not ready, and a new payout is refused before anything is stored.
        using var probe = gateway.ClientFor();
        await Eventually.HoldsAsync(async () => (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "/health/ready stayed 200 after SIGTERM", TimeSpan.FromSeconds(3));
        var refusedKey = Api.NewKey();
        var refused = await probe.SubmitAsync(refusedKey, Api.Body(account: Accounts.New()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/shutting-down", (await refused.JsonAsync()).Str("type"), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter is not null, "a shutting-down 503 carries Retry-After");
        Assert.False(await Db(database).KeyExistsAsync(PayoutKeys.Payout(Ids.Of(GatewayFactory.ClientA, refusedKey))));

        // The call in flight was not cancelled: its answer reached the caller and Redis.
        var answer = await submit;
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal("succeeded", (await answer.JsonAsync()).Str("status"));
        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the gateway did not exit within 30 s:\n{gateway.Output}");
        Assert.Equal(0, gateway.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the drain took {clock.Elapsed.TotalSeconds:0.0} s");

        var stored = await StoredAsync(database, id);
        Assert.Equal("succeeded", stored.Str("status"));
        Assert.Equal(1, _ycb.ExecutionCount(id));
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
        Assert.Null(await Db(database).SortedSetScoreAsync(PayoutKeys.ProcessingOf(id), id));
    }

    [Fact]
    public async Task Sigterm_PayoutStillProcessingAtThePartner_IsHandedOverAndFinishedByAnotherInstanceWellBeforeTheLeaseTtl()
    {
        var database = redis.AllocateDatabase();
        var settings = Settings(database);
        await using var other = await GatewayProcesses.StartAsync(settings);
        await using var owner = await GatewayProcesses.StartAsync(settings);
        using var client = owner.ClientFor();
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var submit = client.SubmitAsync(key, Api.Body(account: "629900000000000003"));
        await Eventually.HoldsAsync(() => _ycb.DisburseRequestCount(id) == 1, "the bank never received the payout");

        var clock = Stopwatch.StartNew();
        await owner.TerminateAsync();

        // The owner answers with what it knows, and exits cleanly without waiting for the bank.
        var answer = await submit;
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal("processing", (await answer.JsonAsync()).Str("status"));
        Assert.True(await owner.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the gateway did not exit within 30 s:\n{owner.Output}");
        Assert.Equal(0, owner.ExitCode);

        // The other instance takes it over at once (its lease was released, not left to lapse).
        await Eventually.HoldsAsync(() => other.Output.Contains("Reconciler taking over payout " + id, StringComparison.Ordinal),
            "the other instance never took the payout over", TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"taken over {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM");

        using var otherClient = other.ClientFor();
        var payout = await otherClient.WaitFinalAsync(id, TimeSpan.FromSeconds(20));
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, _ycb.ExecutionCount(id));
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
    }

    private Dictionary<string, string?> Settings(int database) =>
        new(GatewayFactory.Settings(redis.ConnectionStringFor(database), _ycb.Url))
        {
            ["Partners:ycb:Timeout"] = "00:00:10",
            ["Partners:ycb:TotalTimeout"] = "00:00:20",
            ["Recovery:LeaseTtl"] = LeaseTtl,
            ["Recovery:ScanInterval"] = "00:00:00.300",
        };

    private StackExchange.Redis.IDatabase Db(int database) => redis.Connection.GetDatabase(database);

    private async Task<JsonElement> StoredAsync(int database, string id)
    {
        var value = PayoutValue.Parse(await Db(database).StringGetAsync(PayoutKeys.Payout(id)));
        Assert.True(value is not null, $"payout {id} is not stored");
        return JsonDocument.Parse(value.Doc).RootElement.Clone();
    }
}
