using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Ramps;
using LoadDriver.Reports;
using LoadDriver.Runs;
using Orchestration;

namespace Load.Tests.Ramps;

/// <summary>
/// A tiny ramp (two steps of 2 s, 5/s then 10/s) against the real deployment, as the load smoke
/// test runs it. It asserts the ramp's bounds, correctness over every step and the report's
/// shape, never speed: the p99 threshold is generous so a cold, shared machine does not stop it.
/// </summary>
public sealed class RampSmokeTests
{
    [Fact]
    public async Task Ramp_TwoLowSteps_EveryPayoutCheckedAndSaturationReported()
    {
        await using var deployment = await LocalDeployment.StartAsync(new DeploymentOptions { GatewayDll = RepositoryLayout.GatewayDll(), KeepFolder = false });
        var options = new RampOptions
        {
            StartRate = 5,
            Step = 5,
            MaxRate = 10,
            StepDuration = TimeSpan.FromSeconds(2),
            P99Threshold = TimeSpan.FromSeconds(5),
            MaxSteps = 3,
            MaxDuration = TimeSpan.FromSeconds(20),
            Load = new LoadOptions
            {
                Warmup = TimeSpan.FromSeconds(1),
                Mix = PayoutMix.Parse("ordinary=60,reject=15,slow=8,drop=7,duplicate=10"),
                Seed = 5,
                ResolveTimeout = TimeSpan.FromSeconds(30),
            },
        };
        using var client = deployment.Client(options.Load.RequestTimeout);
        var seen = new List<(RampStep Step, RampDecision Next)>();

        var result = await new RampRun(client, deployment.Ledger) { StepFinished = (s, d) => seen.Add((s, d)) }.RunAsync(options);

        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail} {string.Join("; ", c.Examples)}"));
        Assert.Equal([5.0, 10.0], result.Steps.Select(s => s.TargetRate));
        Assert.Equal([10, 20], result.Steps.Select(s => s.Planned));
        Assert.Equal(RampStop.MaxRateReached, result.Outcome.Stop.Stop);
        Assert.Equal(10, result.Outcome.Sustainable?.TargetRate);
        Assert.Null(result.Outcome.FirstBroken);
        Assert.Equal(2, seen.Count);
        Assert.True(seen[0].Next.Continues);

        // Every payout of the warm-up and of both steps went through the drain and the ledger checks.
        Assert.Equal(result.Submissions.Count(s => s.WasSent), result.Submissions.Count);
        Assert.Equal(5 + 10 + 20, result.Submissions.Count);
        Assert.Contains(result.Payouts, p => p.Key.Contains("-ramp-02-", StringComparison.Ordinal));
        Assert.All(result.Payouts, p => Assert.Equal(ExpectedOutcome.For(p.Kind), p.Payout?.Status));
        var executed = await deployment.Ledger.ExecutionCountsAsync(CancellationToken.None);
        Assert.Equal(result.Payouts.Count(p => p.Kind != PayoutKind.Reject), executed.Count);

        var report = new RampReport(result, MachineInfo.Current(), "ramp smoke test", null);
        var markdown = report.Markdown();
        Assert.Contains("| step | target rate | achieved rate | requests | p50 | p99 | p99.9 | p99 all kinds | not sent in time | unanswered | errors / non-2xx | held |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2 | 10/s |", markdown, StringComparison.Ordinal);
        Assert.Contains("**Sustainable rate: 10/s**", markdown, StringComparison.Ordinal);
        Assert.Contains("**First broken: none**", markdown, StringComparison.Ordinal);
        Assert.Contains("**Verdict: correct.**", markdown, StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("ramp-report-").FullName;
        try
        {
            var path = report.Write(folder, "ramp");
            Assert.StartsWith(markdown, File.ReadAllText(path), StringComparison.Ordinal);
            Assert.Contains("Percentile", File.ReadAllText(Path.Combine(folder, "ramp-sustainable-post-latency.hgrm")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
