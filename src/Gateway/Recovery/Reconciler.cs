using Gateway.Hosting;
using Gateway.Payouts;
using Gateway.Storage;
using Microsoft.Extensions.Options;
using Gateway.Core;

namespace Gateway.Recovery;

/// <summary>
/// Finds processing payouts that are due for a check (<c>gw:processing</c> is scored by the time
/// each is next due) and whose owner's lease has lapsed, takes the lease, and resumes them by
/// inquiry (<see cref="ExecutionStart.Inquire"/>): a payout is never re-sent blindly. Any
/// instance may do this; the lease makes one of them do it at a time.
/// </summary>
public sealed class Reconciler(
    PayoutStore store,
    PayoutLeases leases,
    IdempotencyStore idempotency,
    PayoutExecutions executions,
    RecoveryMetrics metrics,
    TimeProvider time,
    IOptions<RecoveryOptions> options,
    ILogger<Reconciler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once this instance drains (SIGTERM) it takes over nothing new: another instance will.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, executions.Draining);
        await new BackgroundLoop("reconciler", options.Value.ScanInterval, options.Value.LeaseTtl)
            .RunAsync(ScanOnceAsync, time, log, stopping.Token);
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
        var now = time.GetUtcNow();
        var batch = options.Value.BatchSize;
        var later = now + options.Value.LeaseTtl;
        var taken = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var leftInPlace = 0;
        for (var page = 0; page < MaxPages && taken < batch; page++)
        {
            // Entries pushed past "now" leave the due range; the next page skips only those left in place.
            var due = await store.DueAsync(now, leftInPlace, batch);
            if (due.Count == 0)
            {
                break;
            }

            foreach (var id in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
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
                    await store.PushBackAsync(id, later);
                    continue;
                }

                if (takeOver.Outcome == TakeOverOutcome.Missing)
                {
                    // Listed but its record is gone: Redis lost data. Nobody can inquire without the
                    // record; keep it listed for its owner's next write (which restores it) and on-call.
                    RecoveryLog.RecordMissing(log, id);
                    await store.PushBackAsync(id, later);
                    continue;
                }

                StoredPayout? stored;
                try
                {
                    stored = await store.GetAsync(id);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && !ex.IsStateStoreFailure())
                {
                    // One unreadable record (a corrupt document) must not block the payouts behind
                    // it: it stays listed for on-call to see, and is looked at again after MaxBackoff.
                    RecoveryLog.RecordUnreadable(log, ex, id, ex.GetType().Name);
                    await store.PushBackAsync(id, now + options.Value.MaxBackoff);
                    await leases.ReleaseAsync(id, takeOver.Token);
                    continue;
                }

                if (stored is null || stored.Payout.IsFinal)
                {
                    if (stored is null)
                    {
                        RecoveryLog.RecordMissing(log, id);
                        await store.PushBackAsync(id, later);
                    }
                    else
                    {
                        await store.UnlistAsync(id);
                    }

                    await leases.ReleaseAsync(id, takeOver.Token);
                    continue;
                }

                if (!await idempotency.ConfirmDurableAsync(id))
                {
                    // Redis:ClaimReplicas: no replica confirmed the claim (its submission answered 503
                    // for that reason, or a replica is down now). A failover could lose it, and a
                    // retry would then create and send it again: no partner hears of it until a
                    // replica holds it. One such wait per scan is enough to learn it: the scan ends.
                    RecoveryLog.ClaimNotReplicated(log, id);
                    await store.PushBackAsync(id, later);
                    await leases.ReleaseAsync(id, takeOver.Token);
                    return taken;
                }

                RecoveryLog.TakingOver(log, id, stored.Payout.Partner, (long)(now - stored.Payout.CreatedAt).TotalSeconds);
                metrics.TookOver();
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
    RecoveryMetrics metrics,
    TimeProvider time,
    IOptions<RecoveryOptions> options,
    ILogger<LeaseKeeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Renewal goes on while the instance drains: in-flight calls still need their leases.
        // Its backoff never exceeds the renewal interval, or a Redis blip would cost every lease.
        var every = options.Value.LeaseTtl / 3;
        await new BackgroundLoop("lease-keeper", every, every).RunAsync(async _ =>
        {
            foreach (var id in await leases.RenewAsync(executions.RunningIds))
            {
                // Another instance took it over (we could not renew in time). Both may now
                // inquire; the partner's de-duplication and the store's version check keep
                // it one execution and one final status.
                RecoveryLog.LeaseLost(log, id);
                metrics.LeaseLost();
            }
        }, time, log, stoppingToken);
    }
}

internal static partial class RecoveryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Reconciler taking over payout {PayoutId} at {Partner} ({AgeSeconds} s old); resolving by inquiry")]
    public static partial void TakingOver(ILogger logger, string payoutId, string partner, long ageSeconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Payout {PayoutId} is on the processing list but its record is gone (Redis lost data); it stays listed until its owner restores it — check its partners")]
    public static partial void RecordMissing(ILogger logger, string payoutId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Payout {PayoutId} is on the processing list but its record cannot be read ({ErrorType}); skipped, it stays listed")]
    public static partial void RecordUnreadable(ILogger logger, Exception exception, string payoutId, string errorType);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Payout {PayoutId}: no Redis replica confirmed it (Redis:ClaimReplicas); not resumed until one does")]
    public static partial void ClaimNotReplicated(ILogger logger, string payoutId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Lease on payout {PayoutId} was lost to another instance")]
    public static partial void LeaseLost(ILogger logger, string payoutId);
}
