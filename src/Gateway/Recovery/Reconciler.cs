using Gateway.Hosting;
using Gateway.Payouts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Recovery;

/// <summary>
/// Finds processing payouts that are due for a check (<c>gw:processing</c> is scored by the time
/// each is next due) and whose owner's lease has lapsed, takes the lease, and resumes them by
/// inquiry (<see cref="ExecutionStart.Inquire"/>): a payout is never re-sent blindly. Any
/// instance may do this; the lease makes one of them do it at a time.
/// </summary>
public sealed class Reconciler(
    IConnectionMultiplexer redis,
    PayoutStore store,
    PayoutLeases leases,
    PayoutExecutions executions,
    TimeProvider time,
    IOptions<RecoveryOptions> options,
    ILogger<Reconciler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScanInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ScanOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex.IsStateStoreFailure())
            {
                RecoveryLog.ScanFailed(log, ex.GetType().Name);
            }
        }
    }

    /// <summary>
    /// One pass over the payouts due now; returns how many were taken over. Fair: payouts this
    /// instance drives, and payouts whose live leases belong to others (pushed back one lease TTL),
    /// do not count against the batch; the due range is read in pages of
    /// <see cref="RecoveryOptions.BatchSize"/> until that many were taken over or the due range is
    /// exhausted, at most <see cref="MaxPages"/> pages, so orphans behind busy payouts are reached. A listed payout whose record is gone (data loss) is never dropped:
    /// it stays listed, is logged as an error and looked at again a lease TTL later.
    /// </summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow();
        var batch = options.Value.BatchSize;
        var later = (now + options.Value.LeaseTtl).ToUnixTimeMilliseconds();
        var taken = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var leftInPlace = 0;
        for (var page = 0; page < MaxPages && taken < batch; page++)
        {
            // Entries pushed past "now" leave the due range; the next page skips only those left in place.
            var due = await db.SortedSetRangeByScoreAsync(PayoutKeys.Processing, double.NegativeInfinity,
                now.ToUnixTimeMilliseconds(), skip: leftInPlace, take: batch);
            if (due.Length == 0)
            {
                break;
            }

            foreach (var member in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var id = (string)member!;
                if (!seen.Add(id))
                {
                    continue;
                }

                if (executions.IsRunning(id))
                {
                    leftInPlace++;
                    continue;
                }

                if (taken >= batch)
                {
                    break;
                }

                var takeOver = await leases.TryTakeOverAsync(id);
                if (takeOver.Outcome == TakeOverOutcome.Held)
                {
                    // Its owner is alive and working on it: look again once its lease could lapse.
                    await db.SortedSetAddAsync(PayoutKeys.Processing, id, later, SortedSetWhen.Exists);
                    continue;
                }

                if (takeOver.Outcome == TakeOverOutcome.Missing)
                {
                    // Listed but its record is gone: Redis lost data. Nobody can inquire without the
                    // record; keep it listed for its owner's next write (which restores it) and on-call.
                    RecoveryLog.RecordMissing(log, id);
                    await db.SortedSetAddAsync(PayoutKeys.Processing, id, later, SortedSetWhen.Exists);
                    continue;
                }

                var stored = await store.GetAsync(id);
                if (stored is null || stored.Payout.IsFinal)
                {
                    if (stored is null)
                    {
                        RecoveryLog.RecordMissing(log, id);
                        await db.SortedSetAddAsync(PayoutKeys.Processing, id, later, SortedSetWhen.Exists);
                    }
                    else
                    {
                        await db.SortedSetRemoveAsync(PayoutKeys.Processing, id);
                    }

                    await leases.ReleaseAsync(id, takeOver.Token);
                    continue;
                }

                RecoveryLog.TakingOver(log, id, stored.Payout.Partner, (long)(now - stored.Payout.CreatedAt).TotalSeconds);
                _ = executions.Start(stored with { Fence = takeOver.Token }, stored.Fingerprint ?? "", ExecutionStart.Inquire);
                taken++;
                leftInPlace++;
            }
        }

        return taken;
    }

    /// <summary>Most pages of <see cref="RecoveryOptions.BatchSize"/> due entries read in one scan.</summary>
    public const int MaxPages = 5;
}

/// <summary>Renews the leases of every payout this instance is executing, well inside their TTL.</summary>
public sealed class LeaseKeeper(
    PayoutLeases leases,
    PayoutExecutions executions,
    TimeProvider time,
    IOptions<RecoveryOptions> options,
    ILogger<LeaseKeeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseTtl / 3, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var id in await leases.RenewAsync(executions.RunningIds))
                {
                    // Another instance took it over (we could not renew in time). Both may now
                    // inquire; the partner's de-duplication and the store's version check keep
                    // it one execution and one final status.
                    RecoveryLog.LeaseLost(log, id);
                }
            }
            catch (Exception ex) when (ex.IsStateStoreFailure())
            {
                RecoveryLog.RenewFailed(log, ex.GetType().Name);
            }
        }
    }
}

internal static partial class RecoveryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Reconciler taking over payout {PayoutId} at {Partner} ({AgeSeconds} s old); resolving by inquiry")]
    public static partial void TakingOver(ILogger logger, string payoutId, string partner, long ageSeconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Payout {PayoutId} is on the processing list but its record is gone (Redis lost data); it stays listed until its owner restores it — check its partners")]
    public static partial void RecordMissing(ILogger logger, string payoutId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Reconciler scan failed: state store unavailable ({Error}); will retry")]
    public static partial void ScanFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Lease on payout {PayoutId} was lost to another instance")]
    public static partial void LeaseLost(ILogger logger, string payoutId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Lease renewal failed: state store unavailable ({Error})")]
    public static partial void RenewFailed(ILogger logger, string error);
}
