using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Prb;
using Simulators.Ycb;

namespace Gateway.Tests.Instances;

/// <summary>
/// At most once across instances, crashes, pauses, Redis outages and shutdown, with 2 real
/// gateway processes on one real Redis, judged by the ledgers of all three partners and the
/// status every instance shows (see GatewayCluster.cs for the harness and what each proves).
/// </summary>
[Collection(InstancesCollection.Name)]
public sealed class InstanceTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task KillDashNine_OwnerMidFailoverAfterMaintenance_OtherInstanceEndsSucceededWithOneExecution()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var account = Accounts.New();
        cluster.Ycb.SetBehaviour(account, new YcbBehaviour(RetCode: "9998")); // maintenance: nothing executed, failover allowed
        cluster.Prb.SetBehaviour(account, new PrbBehaviour(PrbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(15)));
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);

        _ = GatewayCluster.SubmitInBackground(cluster[0], key, Api.Body(account: account, partner: null));
        await Eventually.HoldsAsync(() => cluster.Prb.ExecutionCount(id) == 1, "prb never executed the failed-over payout", Within);
        var owner = cluster[0];
        Assert.Same(owner, await cluster.LeaseOwnerAsync(id)); // the instance that took the submission drives it
        await owner.KillAsync(); // prb holds its answer: nobody has heard it

        var payout = await cluster.JudgeAsync(id, "succeeded", Within);
        Assert.Equal("prb", payout.Str("partner"));
        Assert.Equal(0, cluster.Ycb.ExecutionCount(id));
        Assert.Equal(1, cluster.Prb.ExecutionCount(id));
        Assert.Equal(0, cluster.SilkPay.TransferRequestCount(id));
    }

    [Fact]
    public async Task KillDashNine_OwnerSentToPrbPastOpenYcbCircuit_RecoveryNeverPaysAtYcbToo()
    {
        // Instance 0's ycb circuit opens (ycb refuses connections); breakers are per instance.
        await using var cluster = await GatewayCluster.StartAsync(overrides: new Dictionary<string, string?>
        {
            ["Partners:ycb:Breaker:MinimumThroughput"] = "2",
            ["Partners:ycb:Breaker:FailureRatio"] = "0.5",
            ["Partners:ycb:Breaker:SamplingDuration"] = "00:00:30",
            ["Partners:ycb:Breaker:BreakDuration"] = "00:01:00",
        });
        cluster.Ycb.GoDown();
        using (var client = cluster[0].ClientFor())
        {
            for (var i = 0; i < 3 && await CircuitAsync(cluster[0], "ycb") != "open"; i++)
            {
                await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New(), partner: "ycb"));
            }
        }

        await Eventually.HoldsAsync(async () => await CircuitAsync(cluster[0], "ycb") == "open",
            "instance 0's ycb circuit never opened", Within);

        var account = Accounts.New();
        cluster.Prb.SetBehaviour(account, new PrbBehaviour(PrbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(15)));
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);

        // Routed: the first of the order is ycb, but its circuit is open, so instance 0 sends to prb.
        _ = GatewayCluster.SubmitInBackground(cluster[0], key, Api.Body(account: account, partner: null));
        await Eventually.HoldsAsync(() => cluster.Prb.ExecutionCount(id) == 1, "prb never executed the routed payout", Within);
        var owner = cluster[0];
        Assert.Same(owner, await cluster.LeaseOwnerAsync(id)); // the instance that took the submission drives it
        await owner.KillAsync();
        cluster.Ycb.ComeUp(); // ycb would now execute whatever it is sent

        var payout = await cluster.JudgeAsync(id, "succeeded", Within);
        Assert.Equal("prb", payout.Str("partner"));
        Assert.Equal(0, cluster.Ycb.ExecutionCount(id));
        Assert.Equal(0, cluster.Ycb.DisburseRequestCount(id));
        Assert.Equal(0, cluster.SilkPay.TransferRequestCount(id));
    }

    [Fact]
    public async Task SigStop_OwnerPausedTwiceTheLease_OtherInstanceFinishesAndResumedOwnerChangesNothing()
    {
        await using var cluster = await GatewayCluster.StartAsync(instances: 3);
        var (_, id, _, _) = await cluster.SubmitHeldAtYcbAsync(TimeSpan.FromSeconds(3), Within);
        var owner = cluster[0];
        Assert.Same(owner, await cluster.LeaseOwnerAsync(id)); // the instance that took the submission drives it

        var pause = Stopwatch.StartNew();
        await owner.FreezeAsync(); // frozen mid-call: ycb executed, its answer comes while nobody listens
        var payout = await cluster.WaitFinalAsync(id, Within); // from the two live instances
        Assert.Equal("succeeded", payout.Str("status"));
        Assert.True(owner.IsFrozen && !owner.HasExited, "the paused owner must still be frozen when the other instance finished");
        await GatewayCluster.OutageLastsAsync(pause, 2 * cluster.LeaseTtl);

        var requests = cluster.DisburseRequests(id);
        await owner.ThawAsync();
        await Eventually.HoldsAsync(async () => await GatewayCluster.ReadAsync(owner, id) is not null,
            "the resumed instance never answered again", Within);

        // The stale owner wakes up to its old call: it must send nothing and change nothing.
        await cluster.StaysAsync(id, "succeeded", TimeSpan.FromSeconds(5));
        Assert.Equal(1, cluster.Executions(id));
        Assert.True(requests == cluster.DisburseRequests(id), $"the resumed owner sent the payout again: {cluster.Ledgers(id)}");
        Assert.False(owner.HasExited, "the resumed instance stopped");
    }

    [Fact]
    public async Task RedisKilledLongerThanLease_WhilePartnerHoldsAnswer_RestartWithAofEndsFinalExecutedOnce()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var (_, id, _, _) = await cluster.SubmitHeldAtYcbAsync(TimeSpan.FromSeconds(3), Within);

        var outage = Stopwatch.StartNew();
        await cluster.Redis.StopAsync(); // kill -9: ycb's answer arrives while Redis is gone
        await GatewayCluster.OutageLastsAsync(outage, cluster.LeaseTtl + TimeSpan.FromSeconds(2));
        await cluster.Redis.StartAsync(); // same port, AOF reloaded; the lease has lapsed meanwhile

        await cluster.JudgeAsync(id, "succeeded", Within);
        Assert.Equal(1, cluster.Ycb.ExecutionCount(id));
        Assert.Equal(0, cluster.Prb.RequestCount(id) + cluster.SilkPay.TransferRequestCount(id));
        Assert.All(cluster.Instances, i => Assert.False(i.HasExited, "an instance stopped during the Redis outage"));
    }

    [Fact]
    public async Task SigTerm_OwnerMidCall_ExitsZeroAndPayoutFinalWellBeforeLeaseTtl()
    {
        // A lease of 30 s: if the payout were only taken over after its lease lapsed, it would be late.
        await using var cluster = await GatewayCluster.StartAsync(overrides: new Dictionary<string, string?>
        {
            ["Recovery:LeaseTtl"] = "00:00:30",
        });
        var (_, id, _, _) = await cluster.SubmitHeldAtYcbAsync(TimeSpan.FromSeconds(4), Within);
        var owner = cluster[0];
        Assert.Same(owner, await cluster.LeaseOwnerAsync(id)); // the instance that took the submission drives it

        var stop = Stopwatch.StartNew();
        await owner.TerminateAsync();

        // Not ready at once; a new submission is never accepted by a stopping instance.
        await Eventually.HoldsAsync(async () => !await IsReadyAsync(owner), "the stopping instance stayed ready", TimeSpan.FromSeconds(10));
        var lateKey = Api.NewKey();
        var lateId = Ids.Of(GatewayFactory.ClientA, lateKey);
        var late = await GatewayCluster.SubmitInBackground(owner, lateKey, Api.Body(account: Accounts.New(), partner: null));
        if (late is not null)
        {
            var problem = await late.JsonAsync();
            Assert.True(late.StatusCode == HttpStatusCode.ServiceUnavailable && problem.Str("type").EndsWith("/shutting-down", StringComparison.Ordinal),
                $"a stopping instance answered a new submission with HTTP {(int)late.StatusCode}: {problem.GetRawText()}");
            Assert.True(late.Headers.RetryAfter is not null, "503 shutting-down without Retry-After");
        }

        // Through the other instance; measured, and judged last, so every other fact is reported first.
        var payout = await cluster.WaitFinalAsync(id, Within, from: [cluster[1]]);
        var finalAfter = stop.Elapsed;
        Assert.Equal("succeeded", payout.Str("status"));

        Assert.True(await owner.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the instance did not exit after SIGTERM");
        Assert.Equal(0, owner.ExitCode);
        await cluster.JudgeAsync(id, "succeeded", Within);
        Assert.Equal(0, cluster.DisburseRequests(lateId));
        Assert.True(finalAfter < cluster.LeaseTtl / 2,
            $"final {finalAfter.TotalSeconds:0.0} s after SIGTERM, not well before the {cluster.LeaseTtl.TotalSeconds:0} s lease (the payout waited for its lease to lapse)");
    }

    [Fact]
    public async Task FlushAll_WhilePartnerHoldsAnswer_SameKeyRefusedUntilLossAcceptedThenFinalExecutedOnce()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var (key, id, body, first) = await cluster.SubmitHeldAtYcbAsync(TimeSpan.FromSeconds(3), Within);
        await cluster.Admin.GetServers()[0].FlushAllDatabasesAsync(); // the record, key, lease, lists and epoch markers are gone

        // While ycb holds its answer the record is gone: the key may have been answered, so no
        // instance creates the payout again (never a 201) and nothing more reaches a partner.
        foreach (var instance in cluster.Live.ToList())
        {
            using var client = instance.ClientFor();
            var refused = await client.SubmitAsync(key, body);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable && problem.Contains("/state-store-lost", StringComparison.Ordinal),
                $"a same-key retry after the loss got HTTP {(int)refused.StatusCode}: {problem}");
        }

        await first;
        Assert.Equal(1, cluster.Ycb.DisburseRequestCount(id));

        // On-call accepts the loss (after reconciling with the partners): the same key ends final.
        using (var operatorClient = cluster[0].ClientFor(GatewayFactory.OperatorKey))
        {
            var accepted = await operatorClient.PostAsync("/v1/state-store/accept-loss", null);
            Assert.True(accepted.StatusCode == HttpStatusCode.OK, $"accept-loss: HTTP {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        }

        var (answers, payout) = await cluster.SubmitUntilFinalAsync(key, body, Within);
        Assert.True(payout.Str("status") == "succeeded", $"answers {string.Join(", ", answers.Select(a => (int)a))}: {payout.GetRawText()}");
        await cluster.JudgeAsync(id, "succeeded", Within);
        Assert.Equal(1, cluster.Ycb.ExecutionCount(id));
        Assert.Equal(0, cluster.Prb.RequestCount(id) + cluster.SilkPay.TransferRequestCount(id));
    }

    [Fact]
    public async Task ClaimReplyLost_RedisStallsPastClientTimeout_AnswerIsHonestAndSameKeyRetriesExecuteOnce()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        var account = Accounts.New();
        var key = Api.NewKey();
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var body = Api.Body(account: account, partner: null);

        // Writes (the claim script among them) wait 4.5 s: past the gateway's 3 s Redis timeout,
        // the claim commits after the gateway has stopped waiting for it.
        await cluster.Admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "4500", "WRITE");
        HttpResponseMessage first;
        using (var client = cluster[0].ClientFor())
        {
            first = await client.SubmitAsync(key, body);
        }

        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.Created,
            $"the submission during the stall got HTTP {(int)first.StatusCode}: {firstBody}");

        var (answers, payout) = await cluster.SubmitUntilFinalAsync(key, body, Within);
        Assert.True(payout.Str("status") == "succeeded", $"answers {string.Join(", ", answers.Select(a => (int)a))}: {payout.GetRawText()}");
        await cluster.JudgeAsync(id, "succeeded", Within);
        Assert.Equal(1, cluster.Ycb.DisburseRequestCount(id));
        Assert.Equal(0, cluster.Prb.RequestCount(id) + cluster.SilkPay.TransferRequestCount(id));

        // The claim's outcome was unknown and the payout was then sent: the first answer may not
        // have said it was not sent (checked last, so the execution facts above are reported first).
        if (first.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            var detail = JsonDocument.Parse(firstBody).RootElement.Str("detail");
            Assert.True(!detail.Contains("not sent", StringComparison.OrdinalIgnoreCase)
                && !detail.Contains("could not be recorded", StringComparison.OrdinalIgnoreCase),
                $"a 503 after a claim with an unknown outcome claimed more than the gateway knows: {firstBody}");
        }
    }

    /// <summary>The state of one partner's circuit on one instance, from the on-call view (<c>/v1/diagnostics/partners</c>).</summary>
    private static async Task<string?> CircuitAsync(GatewayProcess instance, string partner)
    {
        using var client = instance.ClientFor(GatewayFactory.OpsKey);
        var report = await client.GetJsonAsync("/v1/diagnostics/partners");
        return report.GetProperty("partners").EnumerateArray()
            .Where(p => p.Str("partner") == partner)
            .Select(p => p.Str("circuit"))
            .FirstOrDefault();
    }

    private static async Task<bool> IsReadyAsync(GatewayProcess instance)
    {
        using var probe = new HttpClient { BaseAddress = instance.Url, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
