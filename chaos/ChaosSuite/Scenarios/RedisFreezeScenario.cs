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
