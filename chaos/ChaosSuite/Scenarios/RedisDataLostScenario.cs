using System.Globalization;
using LoadDriver.Deployment;
using LoadDriver.Runs;

namespace ChaosSuite.Scenarios;

/// <summary>
/// redis-server is killed (SIGKILL) and restarted on the same port with its data files deleted:
/// every idempotency record, payout, processing list and lease is gone while the gateways keep
/// running. The gateway reads the store's layout marker (<c>gw:layout</c>, KeyLayoutCheck) only at
/// start-up, and a write that finds its payout's record gone restores it (PayoutStore), so payouts
/// in flight at the loss come back when their owner saves them. Declared: 503 state-store-unavailable
/// for requests overlapping the outage or the reconnect grace; nothing else. Money safety is checked
/// unweakened: no payout executed twice, a key once answered never creates another payout (the
/// repeated-key check), every key's payout readable. What the gateway cannot know after such a loss
/// shows up as failed checks, on purpose (chaos/README.md).
/// </summary>
internal sealed class RedisDataLostScenario : IChaosScenario
{
    public string Name => "redis-data-lost";

    public string Description => "redis-server SIGKILL, restarted with its data files deleted (all state lost)";

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
                    outage.Began = log.Note($"SIGKILL redis-server on port {deployment.Redis.Port.ToString(CultureInfo.InvariantCulture)}");
                    await deployment.Redis.KillAsync();
                    var deleted = DeleteData(deployment.Folder);
                    log.Note($"deleted its data files: {deleted}");
                    try
                    {
                        await Task.Delay(timing.For, cancellationToken);
                    }
                    finally
                    {
                        await deployment.Redis.StartAsync(CancellationToken.None);
                        outage.Ended = log.Note("redis-server restarted on the same port, empty");
                        log.Window("redis data lost", outage.Began.Value, outage.Ended.Value, [], outage.Grace, mayFailOver: false);
                    }
                },
            },
            outage.Policy(log, "the outage"));
    }

    /// <summary>Deletes redis-server's AOF folder and any RDB in <paramref name="folder"/>; says what went.</summary>
    private static string DeleteData(string folder)
    {
        var gone = new List<string>();
        var aof = Path.Combine(folder, "appendonlydir");
        if (Directory.Exists(aof))
        {
            Directory.Delete(aof, recursive: true);
            gone.Add("appendonlydir/");
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.aof").Concat(Directory.EnumerateFiles(folder, "*.rdb")).ToList())
        {
            File.Delete(file);
            gone.Add(Path.GetFileName(file));
        }

        return gone.Count == 0 ? "none found" : string.Join(", ", gone);
    }
}
