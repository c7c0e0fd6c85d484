using LoadDriver.Deployment;

namespace ChaosSuite.Scenarios;

/// <summary>
/// (d) PENDING — HOOK FOR THE RECONCILER. kill -9 of the gateway mid-payout, then a restart.
///
/// Payouts whose execution was cut stay <c>processing</c> in Redis; only the reconciler (being
/// written separately) drives them to a final status after the restart. Until it exists this
/// scenario would fail every time, or pass only by excusing exactly what it must check, so it is
/// listed as pending and not run. To finish it once the reconciler is merged:
///   1. In <see cref="Plan"/>'s DuringSteady: wait timing.After, <c>await deployment.KillGatewayAsync()</c>
///      (SIGKILL; already implemented), wait timing.For, <c>await deployment.StartGatewayAsync()</c>
///      (same port, same Redis; already implemented). Requests sent meanwhile get no answer
///      (connection refused), which the checks already tolerate; the drain resubmits their keys.
///   2. Policy: RequireAllFinal = true after a drain long enough for the reconciler's period, and
///      no 5xx excused; the ledger checks stay as they are (no double execution across the restart).
///   3. Return null from <see cref="PendingReason"/>.
/// </summary>
internal sealed class GatewayKillScenario : IChaosScenario
{
    public string Name => "gateway-kill";

    public string Description => "gateway SIGKILL mid-payout, restarted";

    public string? PendingReason => "needs the reconciler (payouts cut mid-execution stay processing until it exists); hook in Scenarios/GatewayKillScenario.cs";

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log) =>
        throw new NotSupportedException(PendingReason);
}
