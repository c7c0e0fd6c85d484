using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Reports;
using LoadDriver.Runs;
using Orchestration;
using Simulators.Ycb;

namespace Load.Tests.Runs;

/// <summary>
/// A run whose outcomes have not shown recovery by the end of its steady phase (a fault that ends late, as a chaos
/// restart slowed by a busy machine does; a partner still down) goes on with an after-fault phase against the real
/// gateway: until the outcomes show recovery, or for the whole wait when they never do.
/// </summary>
public sealed class AfterFaultPhaseTests
{
    [Fact]
    public async Task FaultEndingAfterTheSteadyPhase_LoadGoesOnAndRecoveryIsObserved()
    {
        await using var deployment = await LocalDeployment.StartAsync(new DeploymentOptions { GatewayDll = RepositoryLayout.GatewayDll(), KeepFolder = false });
        var options = new LoadOptions
        {
            Rate = 10,
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(3),
            Mix = PayoutMix.Parse("ordinary=100"),
            ResolveTimeout = TimeSpan.FromSeconds(60),
            RecoveryEvidence = TimeSpan.FromSeconds(2),
        };
        var windows = new List<FaultWindow>();
        var hooks = new LoadHooks
        {
            // A "fault" (nothing is broken) that ends 1 s after the steady phase: the run waits for it, then goes on until
            // 2 s of outcomes as expected follow it (about 20 payouts), far less than the 20 s it would wait.
            DuringSteady = async token =>
            {
                var from = DateTimeOffset.UtcNow;
                await Task.Delay(options.Duration + TimeSpan.FromSeconds(1), token);
                lock (windows)
                {
                    windows.Add(new FaultWindow("late fault", from, DateTimeOffset.UtcNow, new HashSet<string>(), TimeSpan.Zero));
                }
            },
        };
        var policy = new CheckPolicy { DeclaredDuringRun = () => { lock (windows) { return [.. windows]; } } };
        using var client = deployment.Client(options.RequestTimeout);

        var result = await new LoadRun(client, deployment.Ledger).RunAsync(options, policy, hooks);

        Assert.All(result.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail} {string.Join("; ", c.Examples)}"));
        var end = Assert.Single(result.Policy.FaultWindows).To;
        var after = result.Submissions.Where(s => s.Payout.Phase == LoadRun.AfterFaultPhase).ToList();
        Assert.InRange(after.Count, 15, 40);
        Assert.All(after, s => Assert.True(s.IntendedAt >= end - TimeSpan.FromSeconds(1.5), $"{s.Payout.Key} due {s.IntendedAt:O}, fault ended {end:O}"));
        Assert.Contains(result.Payouts, p => p.SubmittedAt >= end + TimeSpan.FromSeconds(1.5));
        Assert.Equal(TimeSpan.Zero, result.RecoveryAfter(end));
        var executed = await deployment.Ledger.ExecutionCountsAsync(CancellationToken.None);
        Assert.Equal(result.Payouts.Count, executed.Count);
        Assert.All(executed.Values, count => Assert.Equal(1, count));

        var markdown = new LoadReport(result, MachineInfo.Current(), "after-fault test", null).Markdown();
        Assert.Contains($"then an after-fault phase of {after.Count} requests", markdown, StringComparison.Ordinal);
        Assert.Contains("| after fault |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerStillFailing_LoadGoesOnForTheWholeWait_AndNeverRecovers()
    {
        await using var deployment = await LocalDeployment.StartAsync(new DeploymentOptions { GatewayDll = RepositoryLayout.GatewayDll(), KeepFolder = false });
        var options = new LoadOptions
        {
            Rate = 10,
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(2),
            Mix = PayoutMix.Parse("ordinary=100"),
            ResolveTimeout = TimeSpan.FromSeconds(60),
            RecoveryEvidence = TimeSpan.FromSeconds(1),
            AwaitRecovery = TimeSpan.FromSeconds(6),
        };
        var windows = new List<FaultWindow>();
        var failing = false;
        var hooks = new LoadHooks
        {
            // From 1 s into the steady phase on, ycb answers every payout 5xx without executing it: routed payouts fail
            // over to prb, never again as expected (at ycb). The declared fault is that instant; it never really ends.
            BeforeSend = (payout, _) =>
            {
                if (Volatile.Read(ref failing))
                {
                    deployment.Ycb.SetBehaviour(payout.AccountNumber, new YcbBehaviour(YcbMode.ServerError));
                }
            },
            DuringSteady = async token =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), token);
                Volatile.Write(ref failing, true);
                var at = DateTimeOffset.UtcNow;
                lock (windows)
                {
                    windows.Add(new FaultWindow("ycb failing", at, at, new HashSet<string>(), TimeSpan.Zero));
                }
            },
        };
        var policy = new CheckPolicy { DeclaredDuringRun = () => { lock (windows) { return [.. windows]; } } };
        using var client = deployment.Client(options.RequestTimeout);

        var result = await new LoadRun(client, deployment.Ledger).RunAsync(options, policy, hooks);

        var end = Assert.Single(result.Policy.FaultWindows).To;
        var after = result.Submissions.Where(s => s.Payout.Phase == LoadRun.AfterFaultPhase).ToList();
        Assert.NotEmpty(after);
        Assert.True(after.Max(s => s.IntendedAt) >= end + TimeSpan.FromSeconds(5), $"the last after-fault payout was due {after.Max(s => s.IntendedAt):O}, the fault ended {end:O}");
        Assert.All(result.Payouts.Where(p => p.SubmittedAt >= end + TimeSpan.FromSeconds(0.5)), p => Assert.Equal("prb", p.Payout?.Partner));
        Assert.Null(result.RecoveryAfter(end));
        var executed = await deployment.Ledger.ExecutionCountsAsync(CancellationToken.None);
        Assert.Equal(result.Payouts.Count, executed.Count);
        Assert.All(executed.Values, count => Assert.Equal(1, count));
    }
}
