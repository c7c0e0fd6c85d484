using System.Collections.Concurrent;

namespace Gateway.Payouts;

/// <summary>How an execution begins: a new payout is sent; a payout taken over is first inquired.</summary>
public enum ExecutionStart
{
    Send,
    Inquire,
}

/// <summary>
/// Runs payout executions beyond the request that started them: the POST waits only its sync
/// budget, the execution goes on to a final status. On shutdown the executions are cancelled
/// and their payouts stay <c>processing</c> in Redis, for a reconciler to take over once their
/// leases lapse.
/// </summary>
public sealed class PayoutExecutions(PayoutExecutor executor, ILogger<PayoutExecutions> log) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task<PayoutRecord>> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _disposed;

    /// <summary>Starts driving the payout, unless this instance is driving it already (then that run is returned).</summary>
    public Task<PayoutRecord> Start(StoredPayout stored, string fingerprint, ExecutionStart start = ExecutionStart.Send)
    {
        var id = stored.Payout.Id;
        lock (_gate)
        {
            if (_running.TryGetValue(id, out var existing))
            {
                return existing;
            }

            var task = Task.Run(async () =>
            {
                try
                {
                    return await executor.ExecuteAsync(stored, fingerprint, start, _stopping.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    PayoutLog.ExecutionCrashed(log, ex, id);
                    throw;
                }
                finally
                {
                    lock (_gate)
                    {
                        _running.TryRemove(id, out _);
                    }
                }
            });
            _running[id] = task;
            return task;
        }
    }

    public int Running => _running.Count;

    public bool IsRunning(string payoutId) => _running.ContainsKey(payoutId);

    public IReadOnlyList<string> RunningIds => [.. _running.Keys];

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
}
