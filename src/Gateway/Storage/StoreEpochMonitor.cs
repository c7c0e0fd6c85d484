using Gateway.Hosting;

namespace Gateway.Storage;

/// <summary>
/// Reads the store's epoch markers at start and every <see cref="StoreEpoch.CheckInterval"/>
/// (<see cref="StoreEpoch.CheckAsync"/>): a new store gets its markers before the first payout, a
/// loss is found even when no claim runs, and an epoch on-call accepted is adopted. Redis away is a
/// failed step of the loop (logged, retried), never a loss.
/// </summary>
internal sealed class StoreEpochMonitor(StoreEpoch epoch, TimeProvider time, ILogger<StoreEpochMonitor> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new BackgroundLoop("store-epoch", StoreEpoch.CheckInterval, TimeSpan.FromSeconds(10), RunFirstAtOnce: true)
            .RunAsync(_ => epoch.CheckAsync(), time, log, stoppingToken);
}
