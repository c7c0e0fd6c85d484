using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// One fault under steady open-model load: what it breaks and when (its <see cref="LoadHooks"/>),
/// and what the checks may excuse because of it (its <see cref="CheckPolicy"/>).
/// </summary>
internal interface IChaosScenario
{
    /// <summary>Short name for the command line and the verdict table, e.g. <c>redis-kill</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Null when the scenario can run; otherwise why it cannot yet (it is listed, not run).</summary>
    string? PendingReason { get; }

    /// <summary>
    /// How soon after the last declared fault ends the outcomes must be back to expected
    /// (<see cref="LoadRunResult.RecoveryAfter"/>); longer, or never, fails the scenario. Default 15 s.
    /// </summary>
    TimeSpan RecoveryBound => TimeSpan.FromSeconds(15);

    /// <summary>
    /// Whether the scenario may run on a deployment shared with the scenarios before it (one gateway, the partner
    /// fault proxies, reset between scenarios: chaos/ChaosSuite/SharedDeployment.cs): true when its fault is at a
    /// partner, which the reset undoes. Default false: its own deployment.
    /// </summary>
    bool SharesDeployment => false;

    /// <summary>
    /// The <c>--mix</c> the scenario runs with when none is given; null (the default): the load suite's default mix.
    /// A scenario whose fault is at one partner sends most traffic there (<see cref="Partners.PartnerScenarios.MixFor"/>),
    /// without the kinds whose answers are partner faults by design (slow, drop): after the fault those would keep
    /// opening the partner's breaker at random (a trial call that hits one re-opens it for another pause), so the
    /// scenario's recovery would measure the mix's luck instead of the fault's end.
    /// </summary>
    string? SuggestedMix => null;

    /// <summary>The fault's timing for this scenario, from the suite's (<c>--fault-after</c>, <c>--fault-for</c>); default the suite's.</summary>
    FaultTiming Timing(FaultTiming suite) => suite;

    /// <summary>The load options for this scenario, from the suite's (with its mix and run id); default unchanged.</summary>
    LoadOptions Load(LoadOptions suite) => suite;

    /// <summary>The deployment the scenario needs, from the suite's <paramref name="baseline"/> (more instances, a Redis proxy); default the baseline.</summary>
    DeploymentOptions Deployment(DeploymentOptions baseline) => baseline;

    ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log);
}

/// <summary>When the fault starts (after the steady phase starts) and how long it lasts.</summary>
internal sealed record FaultTiming(TimeSpan After, TimeSpan For);

internal sealed record ScenarioPlan(LoadHooks Hooks, CheckPolicy Policy);
