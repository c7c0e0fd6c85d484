using System.Collections.Concurrent;

namespace Gateway.Payouts;

/// <summary>
/// Runs payout executions beyond the request that started them: the POST waits only its sync
/// budget, the execution goes on to a final status. On shutdown the executions are cancelled
/// and their payouts stay <c>processing</c> in Redis, on the reconciler's list.
/// </summary>
public sealed class PayoutExecutions(PayoutExecutor executor, ILogger<PayoutExecutions> log) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task<PayoutRecord>> _running = new(StringComparer.Ordinal);

    public Task<PayoutRecord> Start(StoredPayout stored, string fingerprint)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                return await executor.ExecuteAsync(stored, fingerprint, _stopping.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                PayoutLog.ExecutionCrashed(log, ex, stored.Payout.Id);
                throw;
            }
            finally
            {
                _running.TryRemove(stored.Payout.Id, out _);
            }
        });
        _running[stored.Payout.Id] = task;
        return task;
    }

    public int Running => _running.Count;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(cancellationToken);
        }
        catch (Exception)
        {
            // Cancelled executions leave their payouts processing; that is the intended state.
        }
    }

    /// <summary>The container may dispose before the host stops (a failed start, a test host): cancel once, then free.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private int _disposed;
}
