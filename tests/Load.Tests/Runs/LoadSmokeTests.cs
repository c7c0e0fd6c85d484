using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Reports;
using LoadDriver.Runs;
using Orchestration;

namespace Load.Tests.Runs;

/// <summary>
/// The load driver, briefly and at a low rate, against a real gateway process (Kestrel on a real
/// loopback port) with a real redis-server and the ycb simulator. It asserts correctness and the
/// report's shape, never speed.
/// </summary>
public sealed class LoadSmokeTests
{
    [Fact]
    public async Task Run_LowRateMixedPayouts_CorrectAndReported()
    {
        await using var deployment = await LocalDeployment.StartAsync(new DeploymentOptions { GatewayDll = RepositoryLayout.GatewayDll(), KeepFolder = false });
        var options = new LoadOptions
        {
            Rate = 10,
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(6),
            Mix = PayoutMix.Parse("ordinary=25,ordinary@prb=12,ordinary@silkpay=12,reject=5,reject@prb=5,reject@silkpay=5,slow=6,drop@silkpay=6,failover=12,duplicate=12"),
            Seed = 11,
            ResolveTimeout = TimeSpan.FromSeconds(60),
        };
        using var client = deployment.Client(options.RequestTimeout);

        var result = await new LoadRun(client, deployment.Ledger).RunAsync(options);

        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail} {string.Join("; ", c.Examples)}"));
        Assert.True(result.Correct);
        Assert.Equal(options.Rate * options.Duration.TotalSeconds, result.Steady.Options.Count);
        Assert.All(result.Payouts, p => Assert.Equal(ExpectedOutcome.For(p.Kind), p.Payout?.Status));
        Assert.All(result.Payouts, p => Assert.True(p.EndedAsExpected, $"{p.PayoutId} {p.Label}: expected {p.Expected}, got {p.Payout}"));
        Assert.All(PartnerNames.All, partner => Assert.Contains(result.Payouts, p => p.Payout?.Partner == partner && p.Payout.Status == "succeeded"));
        Assert.Contains(result.Payouts, p => p.Kind == PayoutKind.Failover && p.Payout?.Partner == PartnerNames.Prb);
        Assert.Contains(result.Payouts, p => p.Kind == PayoutKind.Reject);
        Assert.Equal(1.0, result.Classification.Share);
        Assert.Equal(result.Payouts.Count, result.TimeToFinal.Count);
        Assert.Contains(result.Payouts, p => p.Answers.Count > 1);
        var executed = await deployment.Ledger.ExecutionCountsAsync(CancellationToken.None);
        Assert.Equal(result.Payouts.Count(p => p.Kind != PayoutKind.Reject), executed.Count);

        var report = new LoadReport(result, MachineInfo.Current(), "smoke test", null);
        var markdown = report.Markdown();
        Assert.Contains("| payouts | count | p50 | p90 | p99 | p99.9 | max |", markdown, StringComparison.Ordinal);
        Assert.Contains("| all | " + result.Steady.Latency.Count + " |", markdown, StringComparison.Ordinal);
        Assert.Contains("**Verdict: correct.**", markdown, StringComparison.Ordinal);
        Assert.Contains("| time to final (intended submit → completedAt) | count | p50 | p99 | max |", markdown, StringComparison.Ordinal);
        Assert.Contains("| ordinary@silkpay | succeeded at silkpay |", markdown, StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("load-report-").FullName;
        try
        {
            var path = report.Write(folder, "smoke");
            Assert.StartsWith(markdown, File.ReadAllText(path), StringComparison.Ordinal);
            var distribution = File.ReadAllText(Path.Combine(folder, "smoke-post-latency.hgrm"));
            Assert.Contains("Percentile", distribution, StringComparison.Ordinal);
            Assert.Contains("#[Mean", distribution, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
