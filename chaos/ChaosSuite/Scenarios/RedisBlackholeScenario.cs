using FaultProxy;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// Redis unreachable without a word: the <see cref="TcpFaultProxy"/> between the gateways and
/// redis-server black-holes every byte for the fault (no answer, no FIN, no RST), so the gateways'
/// commands time out. At the end the black-holed connections are reset, as TCP would after its
/// retransmissions failed (the proxy dropped their bytes for good; resuming them would desynchronise
/// the protocol, which no real network does), and the proxy forwards again. 503 state-store-unavailable
/// is excused for requests overlapping it or the reconnect grace after.
/// </summary>
internal sealed class RedisBlackholeScenario : IChaosScenario
{
    public string Name => "redis-blackhole";

    public string Description => "Redis black-holed by the proxy (no answer, no FIN), then reset and forwarding again";

    public string? PendingReason => null;

    public DeploymentOptions Deployment(DeploymentOptions baseline) => baseline with { RedisThroughProxy = true };

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var proxy = deployment.RedisProxy ?? throw new InvalidOperationException("redis-blackhole needs the Redis proxy.");
        var outage = new RedisOutage(RedisKillScenario.ReconnectGrace);
        return new ScenarioPlan(
            new LoadHooks
            {
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    proxy.SetFault(Fault.BlackHole);
                    outage.Began = log.Note("Redis proxy: black hole");
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        proxy.ResetAllConnections();
                        proxy.ClearFaults();
                        outage.Ended = log.Note("Redis proxy: black-holed connections reset, forwarding again");
                        log.Window("redis black-holed", outage.Began.Value, outage.Ended.Value, [], outage.Grace, mayFailOver: false);
                    }
                },
            },
            outage.Policy(log, "the black hole"));
    }
}
