using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Runs;
using Simulators.Ycb;

namespace ChaosSuite.Scenarios;

/// <summary>
/// (b) For a burst, the bank executes every ordinary payout and then answers late
/// (SlowAfterExecute, past the attempt timeout) or not at all (DropAfterExecute), alternately.
/// Each ordinary payout has its own fresh account, so the behaviour is set on that account just
/// before the payout is sent and touches nothing else. The gateway must find every one by inquiry:
/// succeeded, executed once.
/// </summary>
internal sealed class PartnerSlowScenario : IChaosScenario
{
    public string Name => "partner-slow";

    public string Description => "ycb executes, then answers slowly or drops the connection, for a burst";

    public string? PendingReason => null;

    public bool SharesDeployment => true;

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var affected = 0;
        return new ScenarioPlan(
            new LoadHooks
            {
                BeforeSend = (payout, sinceSteadyStart) =>
                {
                    if (payout.Phase != LoadRun.SteadyPhase || payout.Kind != PayoutKind.Ordinary
                        || sinceSteadyStart < timing.After || sinceSteadyStart >= timing.After + timing.For)
                    {
                        return;
                    }

                    var mode = Interlocked.Increment(ref affected) % 2 == 0 ? YcbMode.DropAfterExecute : YcbMode.SlowAfterExecute;
                    deployment.Ycb.SetBehaviour(payout.AccountNumber, new YcbBehaviour(mode, Times: 1));
                },
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    var burst = log.Note("burst starts: ordinary payouts executed, then answered slowly or dropped");
                    await Task.Delay(timing.For, cancellationToken);
                    log.Window("slow/drop burst", burst, log.Note($"burst ends ({Volatile.Read(ref affected)} payouts affected)"), [], TimeSpan.Zero,
                        mayFailOver: false);
                },
            },
            log.Policy(new CheckPolicy { RequireAllFinal = false }));
    }
}
