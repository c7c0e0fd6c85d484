namespace ChaosSuite.Scenarios.Partners;

/// <summary>
/// A fault at one partner (issue 13): which partner, what its window may give a payout (declared
/// with <see cref="FaultLog.Window"/>) and the grace after it, known before the run so they can be
/// listed and tested without processes.
/// </summary>
internal interface IPartnerScenario : IChaosScenario
{
    /// <summary><c>ycb</c>, <c>prb</c> or <c>silkpay</c>.</summary>
    string Partner { get; }

    /// <summary>The failure causes the window declares: each one means "not executed".</summary>
    IReadOnlySet<string> MayCause { get; }

    /// <summary>How long after the window a submitted payout may still be affected: the breaker pause and a second.</summary>
    TimeSpan Grace { get; }

    /// <summary>Whether the deployment needs <c>DeploymentOptions.PartnerProxies</c>.</summary>
    bool NeedsPartnerProxies { get; }

    /// <summary>Every partner scenario may share its deployment: the reset clears behaviours and proxy faults and waits for closed breakers.</summary>
    bool IChaosScenario.SharesDeployment => true;
}

/// <summary>The partner scenarios of issue 13, in the order the suite lists them.</summary>
internal static class PartnerScenarios
{
    /// <summary>The partners, in the deployment's routing order.</summary>
    public static readonly string[] Partners = ["ycb", "prb", "silkpay"];

    /// <summary>The breaker pause of the load suite's overlay (5 s) and a second of slack.</summary>
    public static readonly TimeSpan BreakerGrace = TimeSpan.FromSeconds(6);

    /// <summary>Every partner × simulator fault, then every partner × network fault.</summary>
    public static IReadOnlyList<IPartnerScenario> All { get; } =
    [
        .. Partners.SelectMany(p => Enum.GetValues<PartnerFault>().Select(f => (IPartnerScenario)new PartnerFaultScenario(p, f))),
        .. Partners.SelectMany(p => Enum.GetValues<NetworkFault>().Select(f => (IPartnerScenario)new PartnerNetworkScenario(p, f))),
    ];

    /// <summary>One <c>&lt;partner&gt;-freeze</c> per partner (<see cref="PartnerFreezeScenario"/>): its simulator process SIGSTOPped, then SIGCONTed.</summary>
    public static IReadOnlyList<IPartnerScenario> Freezes { get; } = [.. Partners.Select(p => (IPartnerScenario)new PartnerFreezeScenario(p))];

    /// <summary>
    /// Most traffic to <paramref name="partner"/> by name, plus routed ordinary payouts (to ycb, failing over to prb
    /// when ycb is at fault), failover payouts (ycb refuses them, prb executes them; with prb at fault, silkpay) and duplicates;
    /// no slow or drop kinds (<see cref="IChaosScenario.SuggestedMix"/>).
    /// </summary>
    public static string MixFor(string partner) => $"ordinary@{partner}=55,ordinary=20,reject@{partner}=4,failover=6,duplicate=15";
}
