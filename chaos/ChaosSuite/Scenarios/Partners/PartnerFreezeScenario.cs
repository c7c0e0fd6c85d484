using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios.Partners;

/// <summary>
/// <c>&lt;partner&gt;-freeze</c> (issue 13): the partner's simulator process is frozen with SIGSTOP for the fault
/// window, as a partner host in a long pause, then thawed with SIGCONT. While frozen the kernel still accepts
/// connections and takes the requests, nothing answers; on the thaw the simulator works through what queued,
/// so a request the gateway gave up on may still be executed after the window. The deployment runs each
/// simulator as its own process (<see cref="DeploymentOptions.SimulatorsOutOfProcess"/>), so only this partner
/// stops. Payouts the partner never executed may fail with the declared causes (or, routed, succeed at the next
/// partner); one it executed, however late, must end succeeded, executed once; every payout final after the drain.
/// </summary>
internal sealed class PartnerFreezeScenario(string partner) : IPartnerScenario
{
    /// <summary>
    /// How long before the freeze a payout may have been submitted and still be in flight at the partner when it
    /// strikes: an attempt timeout (1.5 s) and a retry's, as <see cref="PartnerNetworkScenario.InFlightLead"/>.
    /// </summary>
    public static readonly TimeSpan InFlightLead = PartnerNetworkScenario.InFlightLead;

    public string Partner => partner;

    public string Name => $"{partner}-freeze";

    public string Description => $"the {partner} simulator process frozen (SIGSTOP), then thawed (SIGCONT)";

    public string? PendingReason => null;

    /// <summary>
    /// What a frozen partner gives a payout it never executed: attempts time out (no answer; connections are still
    /// accepted), so the payout is unknown until an inquiry (after the thaw) shows nothing executed, PARTNER_TIMEOUT;
    /// the breaker opens on the timeouts, PARTNER_CIRCUIT_OPEN; with every route at fault, NO_ROUTE. As the black hole.
    /// </summary>
    public IReadOnlySet<string> MayCause { get; } = new HashSet<string>(Causes, StringComparer.Ordinal);

    public TimeSpan Grace => PartnerScenarios.BreakerGrace;

    public bool NeedsPartnerProxies => false;

    /// <summary>Its own deployment: the simulators run out of process (the shared one holds them in the driver, and its reset and ledger read them there).</summary>
    public bool SharesDeployment => false;

    public string SuggestedMix => PartnerScenarios.MixFor(partner);

    /// <summary>The default 15 s: the thawed simulator answers its queue at once, the breaker closes after its 5 s pause.</summary>
    public TimeSpan RecoveryBound => TimeSpan.FromSeconds(15);

    internal static string[] Causes => ["PARTNER_TIMEOUT", "PARTNER_CIRCUIT_OPEN", "NO_ROUTE"];

    public DeploymentOptions Deployment(DeploymentOptions baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return baseline with { SimulatorsOutOfProcess = true };
    }

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(timing);
        ArgumentNullException.ThrowIfNull(log);
        var simulator = deployment.SimulatorProcess(partner);
        return new ScenarioPlan(
            new LoadHooks
            {
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    await simulator.FreezeAsync();
                    var from = log.Note($"SIGSTOP the {partner} simulator (pid {simulator.Pid})");
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        await simulator.ThawAsync();
                        log.Window(Name, from - InFlightLead, log.Note($"SIGCONT the {partner} simulator"), MayCause, Grace);
                    }
                },
            },
            log.Policy(new CheckPolicy { RequireAllFinal = true }));
    }
}
