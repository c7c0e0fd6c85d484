using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Orchestration;
using Simulators.Ycb;
using Xunit.Abstractions;

namespace Gateway.Tests.Cluster;

/// <summary>
/// <c>Redis:ClaimReplicas = 1</c> on a real primary–replica pair (a pair of its own per test):
/// <list type="bullet">
/// <item><see cref="HealthyReplica_PayoutsSucceed_AndTheirRecordIsOnTheReplicaAtOnce"/>: with the replica up
/// payouts are created as usual, and the record of each is already on the replica when the client hears 201.</item>
/// <item><see cref="ReplicaDown_Answers503AndSendsNothing_ThenThePayoutEndsOnceTheReplicaIsBack"/>: with the replica
/// down a new payout is answered 503 state-store-unavailable, no partner hears of it from that request, the
/// primary keeps it processing, and the reconciler does not send it either while no replica holds it; once the
/// replica is back it ends succeeded, executed exactly once, and a retry
/// with the same key replays it.</item>
/// <item><see cref="PrimaryKilledAndReplicaPromotedMidLoad_NoPayoutExecutesTwice"/>: 40 keys under concurrent load,
/// the primary killed and its replica promoted midway (the old primary then rejoins as a replica): no payout
/// reaches ycb twice, every answer of success is backed by one execution, every success answered before the
/// kill survives on the new primary, and every payout ends succeeded with exactly one execution.</item>
/// </list>
/// </summary>
public sealed class ReplicaDurabilityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ClientDeadline = TimeSpan.FromSeconds(90);

    // Both endpoints, no Sentinel: StackExchange.Redis learns of a promotion only when it next asks
    // every endpoint for its role (configCheckSeconds, 60 s by default); 1 s here, as an operator
    // running without Sentinel would set it.
    private static Dictionary<string, string?> Settings(RedisReplicaPair pair, YcbSimulator ycb, string claimReplicaTimeout) =>
        new(GatewayFactory.Settings(RedisReplicaFixture.ConnectionStringOf(pair) + ",configCheckSeconds=1", ycb.Url))
        {
            ["Redis:ClaimReplicas"] = "1",
            ["Redis:ClaimReplicaTimeout"] = claimReplicaTimeout,
            ["Recovery:LeaseTtl"] = "00:00:02",
            ["Recovery:ScanInterval"] = "00:00:00.200",
            ["Payouts:SyncBudget"] = "00:00:03",
        };

    [Fact]
    public async Task HealthyReplica_PayoutsSucceed_AndTheirRecordIsOnTheReplicaAtOnce()
    {
        await using var pair = await RedisReplicaFixture.StartPairAsync();
        using var ycb = YcbSimulator.Start();
        await using var gateway = new GatewayFactory(Settings(pair, ycb, "00:00:02"));
        var client = gateway.ClientFor();

        for (var i = 0; i < 3; i++)
        {
            var key = Api.NewKey();
            var response = await client.SubmitAsync(key, Api.Body(account: Accounts.New()));

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"HTTP {(int)response.StatusCode}: {body}");
            var id = JsonDocument.Parse(body).RootElement.Str("id");
            Assert.Equal(Ids.Of(GatewayFactory.ClientA, key), id);
            Assert.Equal("succeeded", JsonDocument.Parse(body).RootElement.Str("status"));
            // Right after the answer, on the replica alone: the claim was acknowledged there before ycb heard of it.
            var onReplica = StatusIn(await RedisCli.CommandAsync(pair.Replica.Port, ["GET", PayoutKeys.Payout(id).ToString()]));
            Assert.True(onReplica is "processing" or "succeeded", $"payout {id} on the replica: '{onReplica}'");
            Assert.Equal(1, ycb.ExecutionCount(id));
        }
    }

    [Fact]
    public async Task ReplicaDown_Answers503AndSendsNothing_ThenThePayoutEndsOnceTheReplicaIsBack()
    {
        await using var pair = await RedisReplicaFixture.StartPairAsync();
        using var ycb = YcbSimulator.Start();
        await using var gateway = new GatewayFactory(Settings(pair, ycb, "00:00:00.500"));
        var client = gateway.ClientFor();
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync(Api.NewKey(), Api.Body(account: Accounts.New()))).StatusCode);

        await pair.KillReplicaAsync();
        var key = Api.NewKey();
        var body = Api.Body(account: Accounts.New());
        var id = Ids.Of(GatewayFactory.ClientA, key);
        var refused = await client.SubmitAsync(key, body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.EndsWith("/state-store-unavailable", problem.Str("type"), StringComparison.Ordinal);
        Assert.Contains("replica", problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(id, problem.Str("detail"), StringComparison.Ordinal);
        // Checked at once, well within Recovery:LeaseTtl (after which the reconciler may take it over).
        Assert.Equal(0, ycb.DisburseRequestCount(id));
        Assert.Equal("processing", StatusIn(await RedisCli.CommandAsync(pair.Primary.Port, ["GET", PayoutKeys.Payout(id).ToString()])));

        // Nor does the reconciler send it while no replica holds its claim: several lease TTLs and scans later, still nothing.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(0, ycb.DisburseRequestCount(id));
        Assert.Equal("processing", StatusIn(await RedisCli.CommandAsync(pair.Primary.Port, ["GET", PayoutKeys.Payout(id).ToString()])));

        await pair.StartReplicaAsync();

        var final = await client.WaitFinalAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal("succeeded", final.Str("status"));
        Assert.Equal(1, ycb.ExecutionCount(id));
        Assert.Single(ycb.Executions, e => e.ReqSeqNo == id);
        var retry = await client.SubmitAsync(key, body);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("succeeded", (await retry.JsonAsync()).Str("status"));
        Assert.Equal(1, ycb.ExecutionCount(id));
    }

    [Fact]
    public async Task PrimaryKilledAndReplicaPromotedMidLoad_NoPayoutExecutesTwice()
    {
        await using var pair = await RedisReplicaFixture.StartPairAsync();
        using var ycb = YcbSimulator.Start();
        await using var gateway = new GatewayFactory(Settings(pair, ycb, "00:00:01"));
        var client = gateway.ClientFor();
        client.Timeout = TimeSpan.FromSeconds(20);
        var keys = Enumerable.Range(0, 40).Select(_ => Api.NewKey()).ToArray();
        var bodies = keys.ToDictionary(k => k, _ => JsonSerializer.Serialize(Api.Body(account: Accounts.New())));
        var answers = new ConcurrentBag<Answer>();
        var finished = 0;
        var clock = Stopwatch.StartNew();
        long killedAt = long.MaxValue;
        using var deadline = new CancellationTokenSource(ClientDeadline);

        var failover = Task.Run(async () =>
        {
            // Midway: once a quarter of the keys ended, while the rest are in flight.
            while (Volatile.Read(ref finished) < keys.Length / 4)
            {
                await Task.Delay(20, deadline.Token);
            }

            Interlocked.Exchange(ref killedAt, clock.ElapsedTicks);
            await pair.KillPrimaryAsync();
            await pair.PromoteReplicaAsync(cancellationToken: deadline.Token);
            // Without a replica the new primary refuses new claims (503) until the old one rejoins.
            await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
            await pair.RejoinOldPrimaryAsReplicaAsync(cancellationToken: deadline.Token);
        });

        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = deadline.Token }, async (key, token) =>
        {
            while (!token.IsCancellationRequested)
            {
                var answer = await SubmitOnceAsync(client, key, bodies[key], clock, token);
                answers.Add(answer);
                if (answer.Status is "succeeded" or "failed")
                {
                    Interlocked.Increment(ref finished);
                    return;
                }

                await Task.Delay(200, token);
            }
        });
        await failover;

        var all = answers.ToArray();
        var ids = keys.ToDictionary(k => k, k => Ids.Of(GatewayFactory.ClientA, k));
        output.WriteLine($"kill at {TimeSpan.FromTicks(killedAt * TimeSpan.TicksPerSecond / Stopwatch.Frequency)}, all answered by {clock.Elapsed}");
        foreach (var group in all.GroupBy(a => (After: a.At > killedAt, a.Code, a.Status)).OrderBy(g => g.Key.After).ThenBy(g => g.Key.Code))
        {
            output.WriteLine($"{(group.Key.After ? "after " : "before")} the kill: {group.Count(),3} x HTTP {(int)group.Key.Code} {group.Key.Status}");
        }

        Assert.Contains(all, a => a.At < killedAt);
        Assert.Contains(all, a => a.At > killedAt);
        // At most one execution per payout reached ycb, and none for anything but these payouts.
        Assert.All(ycb.Executions.GroupBy(e => e.ReqSeqNo), g => Assert.True(g.Count() == 1, $"{g.Key} executed {g.Count()} times"));
        Assert.All(ids.Values, id => Assert.True(ycb.ExecutionCount(id) <= 1, $"{id} executed {ycb.ExecutionCount(id)} times"));
        // Every payout any answer called succeeded was executed, exactly once.
        Assert.All(all.Where(a => a.Status == "succeeded").Select(a => ids[a.Key]).Distinct(),
            id => Assert.Equal(1, ycb.ExecutionCount(id)));

        // Every payout created or replayed before the kill is still known to the new primary.
        foreach (var id in all.Where(a => a.At < killedAt && a.Code is HttpStatusCode.Created or HttpStatusCode.OK).Select(a => ids[a.Key]).Distinct())
        {
            var response = await client.GetAsync($"/v1/payouts/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"payout {id}, answered before the kill, is gone after it: HTTP {(int)response.StatusCode}");
        }

        // In the end every payout succeeded, executed exactly once.
        foreach (var key in keys)
        {
            var final = await client.WaitFinalAsync(ids[key], TimeSpan.FromSeconds(30));
            Assert.True(final.Str("status") == "succeeded", $"payout {ids[key]} ends {final.Str("status")}; answers: "
                + string.Join(", ", all.Where(a => a.Key == key).Select(a => $"{(int)a.Code} {a.Status}")));
            Assert.Equal(1, ycb.ExecutionCount(ids[key]));
        }
    }

    /// <summary>One answer a client got: for which key, when (stopwatch ticks), the HTTP code and the payout status if any.</summary>
    private sealed record Answer(string Key, long At, HttpStatusCode Code, string? Status);

    private static async Task<Answer> SubmitOnceAsync(HttpClient client, string key, string json, Stopwatch clock, CancellationToken token)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payouts")
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            using var response = await client.SendAsync(request, token);
            var text = await response.Content.ReadAsStringAsync(token);
            string? status = null;
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                status = JsonDocument.Parse(text).RootElement.Str("status");
            }

            return new Answer(key, clock.ElapsedTicks, response.StatusCode, status);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !token.IsCancellationRequested)
        {
            // No answer (a client timeout): as good as a 503 for the retry loop.
            return new Answer(key, clock.ElapsedTicks, 0, null);
        }
    }

    /// <summary>The status word a payout value starts with (<c>PayoutValue</c>'s header), or "" when there is none.</summary>
    private static string StatusIn(string redisCliGet) => redisCliGet.Split('\n')[0].Trim();
}
