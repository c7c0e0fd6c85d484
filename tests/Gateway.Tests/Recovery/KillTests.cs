using System.Net;
using Gateway.Payouts;
using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Ycb;

namespace Gateway.Tests.Recovery;

/// <summary>
/// kill -9 of the gateway between the partner executing a payout and the gateway recording the
/// answer: after a restart the payout ends succeeded, executed exactly once.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class KillTests(RedisFixture redis) : IAsyncLifetime
{
    private YcbSimulator _ycb = null!;

    public Task InitializeAsync()
    {
        // The bank executes at once and answers 4 s later: the window in which the gateway dies.
        _ycb = YcbSimulator.Start(new YcbSimulatorOptions { SlowDelay = TimeSpan.FromSeconds(4) });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _ycb.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task KillDashNine_BetweenSendAndRecord_RestartEndsSucceededWithOneExecution()
    {
        var settings = new Dictionary<string, string?>(GatewayFactory.Settings(redis.ConnectionStringFor(redis.AllocateDatabase()), _ycb.Url))
        {
            ["Partners:ycb:Timeout"] = "00:00:10",
            ["Partners:ycb:TotalTimeout"] = "00:00:20",
            ["Recovery:LeaseTtl"] = "00:00:02",
            ["Recovery:ScanInterval"] = "00:00:00.300",
        };
        var account = Accounts.New();
        _ycb.SetBehaviour(account, new YcbBehaviour(YcbMode.SlowAfterExecute));
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);

        await using (var first = await GatewayProcesses.StartAsync(settings))
        {
            using var client = first.ClientFor();
            var submit = client.SubmitAsync(key, Api.Body(account: account));
            await Eventually.HoldsAsync(() => _ycb.ExecutionCount(id) == 1, "the bank never executed the payout");
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => submit);
        }

        await using var second = await GatewayProcesses.StartAsync(settings);
        using var client2 = second.ClientFor();
        var payout = await client2.WaitFinalAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("succeeded", payout.Str("status"));
        Assert.Equal(1, _ycb.ExecutionCount(id));
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
        Assert.Contains("Reconciler taking over payout " + id, second.Output, StringComparison.Ordinal);

        // The lending backend's retry with the same key replays the final payout.
        var replay = await client2.SubmitAsync(key, Api.Body(account: account));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("succeeded", (await replay.JsonAsync()).Str("status"));
        Assert.Equal(1, _ycb.DisburseRequestCount(id));
    }
}
