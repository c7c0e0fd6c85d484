using FaultProxy;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// Redis answers slowly: a <see cref="TcpFaultProxy"/> between the gateways and redis-server delays
/// every chunk by 200 ms ± 100 ms both ways for the fault. Payouts get slower; their outcomes must
/// not change. A 503 state-store-unavailable is excused for requests overlapping the fault: the
/// proxy delays chunk by chunk and the Redis client multiplexes one connection, so delays queue and
/// may pass the gateway's 3 s command timeout.
/// </summary>
internal sealed class RedisLatencyScenario : IChaosScenario
{
    /// <summary>The delay each chunk gets, and its jitter.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200), Jitter = TimeSpan.FromMilliseconds(100);

    public string Name => "redis-latency";

    public string Description => "200 ms ± 100 ms between the gateways and Redis (TcpFaultProxy)";

    public string? PendingReason => null;

    public DeploymentOptions Deployment(DeploymentOptions baseline) => baseline with { RedisThroughProxy = true };

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var proxy = deployment.RedisProxy ?? throw new InvalidOperationException("redis-latency needs the Redis proxy.");
        var outage = new RedisOutage(TimeSpan.FromSeconds(5));
        return new ScenarioPlan(
            new LoadHooks
            {
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    proxy.SetFault(Fault.Latency(Delay, Jitter));
                    outage.Began = log.Note("Redis proxy: 200 ms ± 100 ms latency both ways");
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        proxy.ClearFaults();
                        outage.Ended = log.Note("Redis proxy: latency off");
                        log.Window("redis slow", outage.Began.Value, outage.Ended.Value, [], outage.Grace, mayFailOver: false);
                    }
                },
            },
            outage.Policy(log, "the latency"));
    }
}
