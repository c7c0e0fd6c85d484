using LoadDriver.Api;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Reports;
using LoadDriver.Runs;
using Orchestration;

namespace Load.Tests.Instances;

/// <summary>
/// The load driver, briefly and at a low rate, against two real gateway processes sharing one
/// Redis (a single node, then a three-primary cluster): requests are spread round-robin, every
/// instance answers, duplicates meet their originals on the other instance (some while the
/// original is in flight), and the ledger checks hold across instances. Never asserts speed.
/// </summary>
public sealed class MultiInstanceLoadTests
{
    [Theory]
    [InlineData(RedisTopology.SingleNode)]
    [InlineData(RedisTopology.Cluster)]
    public async Task Run_TwoInstances_SpreadAndCorrect(RedisTopology redis)
    {
        await using var deployment = await LocalDeployment.StartAsync(new DeploymentOptions
        {
            GatewayDll = RepositoryLayout.GatewayDll(),
            Instances = 2,
            Redis = redis,
            KeepFolder = false,
        });
        var options = new LoadOptions
        {
            Rate = 20,
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(4),
            // Slow originals (3 s at the partner) are still in flight when their duplicate arrives 50 ms later.
            Mix = PayoutMix.Parse("ordinary=60,reject=6,slow=8,drop=4,duplicate=22"),
            Seed = 4,
            DuplicateReach = 1,
            ResolveTimeout = TimeSpan.FromSeconds(60),
        };
        var clients = deployment.Clients(options.RequestTimeout);
        try
        {
            var result = await new LoadRun(new GatewayTargets(clients), deployment.Ledger).RunAsync(options);

            Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail} {string.Join("; ", c.Examples)}"));
            var spread = InstanceSpread.From(result.Submissions);
            Assert.Equal(2, spread.Shares.Count);
            Assert.All(spread.Shares, s => Assert.True(s.Answered > 0, $"instance {s.Instance + 1} answered nothing"));
            Assert.All(result.Submissions.Where(s => s.Answer is not null), s => Assert.Equal(s.Instance, s.Answer!.Instance));
            Assert.True(spread.Duplicates > 0);
            Assert.Equal(spread.Duplicates, spread.DuplicatesOnOtherInstance);
            Assert.True(spread.DuplicatesConcurrentOnOtherInstance > 0, "no duplicate met its original in flight on the other instance");
            Assert.All(result.Payouts, p => Assert.Equal(ExpectedOutcome.For(p.Kind), p.Payout?.Status));

            var markdown = new LoadReport(result, MachineInfo.Current(), "multi-instance test", null).Markdown();
            Assert.Contains("## Gateway instances", markdown, StringComparison.Ordinal);
            Assert.Contains("**Verdict: correct.**", markdown, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
