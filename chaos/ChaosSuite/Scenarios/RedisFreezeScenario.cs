using System.Globalization;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// redis-server is frozen with SIGSTOP for the fault (a VM pause: connections stay open, nothing is
/// answered), then SIGCONT: it answers what queued meanwhile. The gateway may refuse new payouts
/// with 503 state-store-unavailable while its Redis commands time out; every payout it recorded must
/// still end as its kind expects, none executed twice.
/// </summary>
internal sealed class RedisFreezeScenario : IChaosScenario
{
    public string Name => "redis-freeze";

    public string Description => "redis-server frozen (SIGSTOP), then thawed (SIGCONT)";

    public string? PendingReason => null;

    /// <summary>
    /// Longer than the gateway's 3 s Redis timeout (<c>StateStoreSetup</c>), even in the smoke's 2 s faults: claims time
    /// out while Redis is frozen and run when it thaws, so each request decides from the read after its lost reply.
    /// </summary>
    public static readonly TimeSpan MinimumFreeze = TimeSpan.FromSeconds(4);

    public FaultTiming Timing(FaultTiming suite) => suite.For >= MinimumFreeze ? suite : suite with { For = MinimumFreeze };

    /// <summary>
    /// Every duplicate repeats the latest payout, so it reaches the gateway while its original's claim is queued in the
    /// frozen Redis: two lost claim replies for one key on one instance, which once both answered 201 (chaos/README.md,
    /// Findings 4).
    /// </summary>
    public LoadOptions Load(LoadOptions suite) => suite with { DuplicateReach = 1 };

    /// <summary>Traffic on all three partners as the load suite's default, with many more duplicates (and no slow or drop kinds, <see cref="IChaosScenario.SuggestedMix"/>).</summary>
    public string SuggestedMix => "ordinary=38,ordinary@prb=18,ordinary@silkpay=18,reject=3,reject@prb=2,reject@silkpay=2,failover=4,duplicate=30";

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var outage = new RedisOutage(RedisKillScenario.ReconnectGrace);
        return new ScenarioPlan(
            new LoadHooks
            {
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    await deployment.Redis.FreezeAsync();
                    outage.Began = log.Note($"SIGSTOP redis-server on port {deployment.Redis.Port.ToString(CultureInfo.InvariantCulture)}");
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        await deployment.Redis.ThawAsync();
                        outage.Ended = log.Note("SIGCONT redis-server");
                        log.Window("redis frozen", outage.Began.Value, outage.Ended.Value, [], outage.Grace, mayFailOver: false);
                    }
                },
            },
            outage.Policy(log, "the freeze"));
    }
}
