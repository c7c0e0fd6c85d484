using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Runs;
using Simulators.Ycb;

namespace ChaosSuite.Scenarios;

/// <summary>
/// Three gateway instances share Redis; the third is killed with SIGKILL under load and not brought
/// back. For 2 s before the kill the ordinary payouts sent to it are executed by the bank and answered
/// only 5 s later, so the kill cuts them between "partner executed" and "gateway recorded". The other
/// instances' reconcilers take them over once their leases lapse (Recovery:LeaseTtl) and resolve them
/// by inquiry. Requests sent to the dead instance get no answer and are resubmitted by the drain with
/// the same key (to the first instance). Every payout must end final, none executed twice; no 5xx excused.
/// </summary>
internal sealed class GatewayKillMultiScenario : IChaosScenario
{
    private const int Instances = 3;
    private const int Victim = Instances - 1;

    /// <summary>Ordinary payouts sent to the victim this long before the kill are executed by the bank and answered only after it.</summary>
    private static readonly TimeSpan CutWindow = TimeSpan.FromSeconds(2);

    public string Name => "gateway-kill-multi";

    public string Description => "one of 3 gateways SIGKILLed mid-payout, not restarted; the others' reconcilers finish what it cut";

    public string? PendingReason => null;

    public DeploymentOptions Deployment(DeploymentOptions baseline) => baseline with { Instances = Instances };

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var cut = 0;
        return new ScenarioPlan(
            new LoadHooks
            {
                BeforeSend = (payout, sinceSteadyStart) =>
                {
                    if (payout.Phase == LoadRun.SteadyPhase && payout.Kind == PayoutKind.Ordinary
                        && InstanceRouter.Route(payout, Instances) == Victim
                        && sinceSteadyStart >= timing.After - CutWindow && sinceSteadyStart < timing.After)
                    {
                        Interlocked.Increment(ref cut);
                        deployment.Ycb.SetBehaviour(payout.AccountNumber,
                            new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(5), Times: 1));
                    }
                },
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    await deployment.KillGatewayAsync(Victim);
                    var killed = log.Note($"{deployment.Gateways[Victim].Name} killed (SIGKILL) with {Volatile.Read(ref cut)} payouts executed by the bank and not yet recorded; not restarted");
                    await Task.Delay(timing.For, cancellationToken);
                    // The fault as a load balancer sees it: the instance is gone for the fault's length, then taken out.
                    log.Window("gateway-3 down", killed, log.Note("fault over (gateway-3 stays down)"), [], TimeSpan.Zero, mayFailOver: false);
                },
            },
            log.Policy(new CheckPolicy { RequireAllFinal = true }));
    }
}
