using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Runs;
using Simulators.Ycb;

namespace ChaosSuite.Scenarios;

/// <summary>
/// (d) kill -9 of the gateway mid-payout, then a restart on the same port and Redis. Payouts
/// whose execution was cut stay <c>processing</c> with their lease; once the lease lapses
/// (Recovery:LeaseTtl) the restarted gateway's reconciler takes them over and resolves them by
/// inquiry. Every payout must end final, none executed twice; requests sent while the gateway
/// was dead got no answer and are resubmitted by the drain with the same key.
/// </summary>
internal sealed class GatewayKillScenario : IChaosScenario
{
    public string Name => "gateway-kill";

    public string Description => "gateway SIGKILL mid-payout, restarted; the reconciler finishes what it cut";

    public string? PendingReason => null;

    /// <summary>Ordinary payouts sent this long before the kill are executed by the bank and answered only after it.</summary>
    private static readonly TimeSpan CutWindow = TimeSpan.FromSeconds(2);

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var cut = 0;
        return new ScenarioPlan(
        new LoadHooks
        {
            // The window that matters most: the partner has executed, the gateway has not yet
            // recorded the answer. Make every ordinary payout of the last seconds land in it.
            BeforeSend = (payout, sinceSteadyStart) =>
            {
                if (payout.Phase == LoadRun.SteadyPhase && payout.Kind == PayoutKind.Ordinary
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
                await deployment.KillGatewayAsync();
                var killed = log.Note($"gateway killed (SIGKILL) with {Volatile.Read(ref cut)} payouts executed by the bank and not yet recorded");
                await Task.Delay(timing.For, cancellationToken);
                await deployment.StartGatewayAsync(cancellationToken);
                log.Window("gateway down", killed, log.Note("gateway restarted"), [], TimeSpan.Zero, mayFailOver: false);
            },
        },
        log.Policy(new CheckPolicy { RequireAllFinal = true }));
    }
}
