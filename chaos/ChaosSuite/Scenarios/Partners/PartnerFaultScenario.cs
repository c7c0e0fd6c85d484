using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Runs;
using Simulators.Prb;
using Simulators.SilkPay;
using Simulators.Ycb;

namespace ChaosSuite.Scenarios.Partners;

/// <summary>
/// One partner misbehaves for the fault window (<see cref="PartnerFault"/>): each ordinary payout
/// sent to it by name (or, for ycb, the first of the routing order, routed) gets a simulator
/// behaviour on its own fresh account just before it is sent, as <see cref="PartnerSlowScenario"/>
/// does. Payouts the partner did not execute may fail with the declared causes (or, routed, succeed
/// at the next partner); one it executed must still end succeeded, executed once.
/// </summary>
internal sealed class PartnerFaultScenario(string partner, PartnerFault fault) : IPartnerScenario
{
    /// <summary>How late a hanging partner answers: well past the 1.5 s attempt timeout.</summary>
    public static readonly TimeSpan HangDelay = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The checks date a payout by when the schedule intended it, the hook sees it when it is sent: on a busy
    /// machine that is later. A payout intended up to this long before the fault starts may be sent into it,
    /// so the declared window starts that much earlier.
    /// </summary>
    public static readonly TimeSpan SendLag = TimeSpan.FromSeconds(1);

    public string Partner => partner;

    public PartnerFault Fault => fault;

    public string Name => $"{partner}-{Suffix(fault)}";

    public string Description => fault switch
    {
        PartnerFault.ServerErrors => $"{partner} answers every attempt 5xx without executing, for a burst",
        PartnerFault.RateLimited => $"{partner} throttles every attempt ({(partner == "ycb" ? "retCode 9001" : "HTTP 429")}) without executing, for a burst",
        PartnerFault.Malformed => $"{partner} answers unparseable bodies ({(partner == "ycb" ? "executed or not, alternately" : "after executing")}), for a burst",
        _ => $"{partner} answers only after {HangDelay.TotalSeconds:0} s (past the attempt timeout) without executing, for a burst",
    };

    public string? PendingReason => null;

    public IReadOnlySet<string> MayCause { get; } = new HashSet<string>(Causes(fault), StringComparer.Ordinal);

    public TimeSpan Grace => PartnerScenarios.BreakerGrace;

    public bool NeedsPartnerProxies => false;

    public string SuggestedMix => PartnerScenarios.MixFor(partner);

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(log);
        var affected = 0;
        // Set by the fault script between its two notes, so the behaviours apply exactly within the declared window
        // (the hooks' own clock, time since the steady start, may run a few milliseconds ahead of the script's).
        var active = false;
        return new ScenarioPlan(
            new LoadHooks
            {
                BeforeSend = (payout, _) =>
                {
                    if (!Volatile.Read(ref active) || payout.Phase != LoadRun.SteadyPhase || payout.Kind != PayoutKind.Ordinary || !Reaches(payout))
                    {
                        return;
                    }

                    Set(deployment, payout.AccountNumber, Interlocked.Increment(ref affected));
                },
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    var from = log.Note($"{Name} starts: {Description}");
                    Volatile.Write(ref active, true);
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        Volatile.Write(ref active, false);
                        log.Window(Name, from - SendLag, log.Note($"{Name} ends ({Volatile.Read(ref affected)} payouts affected)"), MayCause, Grace);
                    }
                },
            },
            log.Policy(new CheckPolicy { RequireAllFinal = false }));
    }

    /// <summary>The causes a payout the partner did not execute may end with (failure-causes.md), besides the breaker's.</summary>
    internal static IEnumerable<string> Causes(PartnerFault fault) =>
    [
        fault switch
        {
            PartnerFault.ServerErrors => "PARTNER_UNAVAILABLE",
            PartnerFault.RateLimited => "PARTNER_RATE_LIMITED",
            PartnerFault.Malformed => "PARTNER_MALFORMED_RESPONSE",
            _ => "PARTNER_TIMEOUT",
        },
        "PARTNER_CIRCUIT_OPEN",
        "NO_ROUTE",
    ];

    private static string Suffix(PartnerFault fault) => fault switch
    {
        PartnerFault.ServerErrors => "5xx-storm",
        PartnerFault.RateLimited => "429-storm",
        PartnerFault.Malformed => "malformed",
        _ => "hang",
    };

    /// <summary>Whether the payout goes to this partner first: named, or routed and this partner leads the routing order.</summary>
    private bool Reaches(PlannedPayout payout) => payout.Partner == partner || (payout.Partner is null && partner == PartnerScenarios.Partners[0]);

    /// <summary>
    /// The behaviour for the <paramref name="n"/>th affected payout. Not-executing ones apply to every attempt
    /// (a storm: the retries meet it too); executing ones once (the retry or inquiry finds the execution).
    /// </summary>
    private void Set(LocalDeployment deployment, string account, int n)
    {
        switch (partner)
        {
            case "ycb":
                deployment.Ycb.SetBehaviour(account, fault switch
                {
                    PartnerFault.ServerErrors => new YcbBehaviour(YcbMode.ServerError),
                    PartnerFault.RateLimited => new YcbBehaviour(YcbMode.Normal, RetCode: "9001"),
                    PartnerFault.Malformed => n % 2 == 0 ? new YcbBehaviour(YcbMode.Malformed, Times: 1) : new YcbBehaviour(YcbMode.MalformedWithoutExecuting),
                    _ => new YcbBehaviour(YcbMode.SlowWithoutExecuting, Delay: HangDelay),
                });
                break;
            case "prb":
                deployment.Prb.SetBehaviour(account, fault switch
                {
                    PartnerFault.ServerErrors => new PrbBehaviour(PrbMode.ServerError),
                    PartnerFault.RateLimited => new PrbBehaviour(PrbMode.Throttle),
                    PartnerFault.Malformed => new PrbBehaviour(PrbMode.Malformed, Times: 1),
                    _ => new PrbBehaviour(PrbMode.SlowWithoutExecuting, Delay: HangDelay),
                });
                break;
            default:
                deployment.SilkPay.SetBehaviour(account, fault switch
                {
                    PartnerFault.ServerErrors => new SilkPayBehaviour(SilkPayMode.ServerError, HttpStatus: 500 + (n % 3 == 0 ? 0 : n % 3 == 1 ? 2 : 3)),
                    PartnerFault.RateLimited => new SilkPayBehaviour(SilkPayMode.Throttle, RetryAfter: TimeSpan.FromSeconds(1)),
                    PartnerFault.Malformed => new SilkPayBehaviour(SilkPayMode.Malformed, Times: 1),
                    _ => new SilkPayBehaviour(SilkPayMode.ServerError, Delay: HangDelay),
                });
                break;
        }
    }
}
