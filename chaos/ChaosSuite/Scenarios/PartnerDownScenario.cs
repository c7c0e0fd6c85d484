using ChaosSuite.Scenarios.Partners;
using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// (a) The ycb simulator goes down (connections refused, answers in flight cut) and comes back on
/// the same port with the same ledger. Payouts sent meanwhile fail as never received or are
/// resolved by inquiry once it is back; none may execute twice, none may answer 5xx.
/// </summary>
internal sealed class PartnerDownScenario : IChaosScenario
{
    public string Name => "partner-down";

    public string Description => "ycb simulator down (GoDown), then back (ComeUp)";

    public string? PendingReason => null;

    public bool SharesDeployment => true;

    /// <summary>Most traffic to ycb, without slow or drop kinds: their answers would re-open ycb's breaker after the outage at random.</summary>
    public string SuggestedMix => PartnerScenarios.MixFor("ycb");

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log) => new(
        new LoadHooks
        {
            DuringSteady = async cancellationToken =>
            {
                await Task.Delay(timing.After, cancellationToken);
                deployment.Ycb.GoDown();
                var down = log.Note("ycb simulator down");
                try
                {
                    await Task.Delay(timing.For, cancellationToken);
                }
                finally
                {
                    deployment.Ycb.ComeUp();
                    // Payouts at ycb meanwhile fail as never received (refused, then the open circuit), or are
                    // resolved by inquiry once it is back; routed ones may fail over to prb. The breaker's
                    // pause (5 s) and a second of slack are the grace. A payout intended just before the fault may be
                    // sent into it (the checks date it by the schedule): the window starts a send lag earlier.
                    log.Window("ycb down", down - PartnerFaultScenario.SendLag, log.Note("ycb simulator back"),
                        ["PARTNER_UNAVAILABLE", "PARTNER_CIRCUIT_OPEN", "NO_ROUTE"], TimeSpan.FromSeconds(6));
                }
            },
        },
        log.Policy(new CheckPolicy { RequireAllFinal = false }));
}
