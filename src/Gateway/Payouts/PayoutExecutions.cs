using System.Collections.Concurrent;
using Gateway.Hosting;
using Microsoft.Extensions.Options;
using Gateway.Storage;
using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>How an execution begins: a new payout is sent; a payout taken over is first inquired.</summary>
public enum ExecutionStart
{
    Send,
    Inquire,
}

/// <summary>
/// Runs payout executions beyond the request that started them: the POST waits only its sync
/// budget, the execution goes on to a final status.
/// <para>
/// On shutdown (SIGTERM: <c>ApplicationStopping</c>) the executions <b>drain</b>: a partner call
/// in flight finishes and its answer is saved; then an execution whose payout is still not final
/// stops driving it, leaves it due now and releases its lease, so another instance takes it over
/// at once. Waits between inquiries end at once. The host's server keeps answering meanwhile (the
/// drain runs in <see cref="StoppingAsync"/>, before any service stops), readiness is off and new
/// submissions get 503. Only when the shutdown timeout is about to expire
/// (<see cref="GracefulShutdown.CancelMargin"/> before it) are the calls still in flight
/// cancelled; their leases then lapse and their payouts are resolved by inquiry.
/// </para>
/// </summary>
public sealed partial class PayoutExecutions : IHostedLifecycleService, IDisposable
{
    private readonly PayoutExecutor _executor;
    private readonly IOptions<ShutdownOptions> _shutdown;
    private readonly TimeProvider _time;
    private readonly ILogger<PayoutExecutions> _log;
    private readonly CancellationTokenSource _draining = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly CancellationToken _drainingToken;
    private readonly CancellationToken _abortingToken;
    private readonly CancellationTokenRegistration _onStopping;
    private readonly ConcurrentDictionary<string, Task<PayoutRecord>> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _drainStartedAt;
    private int _disposed;

    public PayoutExecutions(PayoutExecutor executor, IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> shutdown,
        TimeProvider time, ILogger<PayoutExecutions> log)
    {
        _executor = executor;
        _shutdown = shutdown;
        _time = time;
        _log = log;
        // Tokens taken once: reading CancellationTokenSource.Token after disposal (a failed start
        // disposes the container while background services still run) would throw.
        _drainingToken = _draining.Token;
        _abortingToken = _aborting.Token;
        _onStopping = lifetime.ApplicationStopping.Register(BeginDraining);
    }

    /// <summary>Cancelled once the instance shuts down: executions stop after their current step, and nothing new is taken on.</summary>
    public CancellationToken Draining => _drainingToken;

    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Starts driving the payout, unless this instance is driving it already (then that run is returned).</summary>
    public Task<PayoutRecord> Start(StoredPayout stored, string fingerprint, ExecutionStart start = ExecutionStart.Send)
    {
        var id = stored.Payout.Id;
        Task<Task<PayoutRecord>> cold;
        Task<PayoutRecord> task;
        lock (_gate)
        {
            if (_running.TryGetValue(id, out var existing))
            {
                return existing;
            }

            // Created cold and registered first, then run on this thread outside the lock: the run
            // goes as far as its first partner call without a hop through the thread pool.
            cold = new Task<Task<PayoutRecord>>(async () =>
            {
                // A takeover is a trace of its own, linked to the submission's; a new payout's run
                // stays in its submission's trace.
                using var recovering = start == ExecutionStart.Inquire ? PayoutTracing.StartRecovery(stored.Payout) : null;
                try
                {
                    return await _executor.ExecuteAsync(stored, fingerprint, start, _drainingToken, _abortingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    PayoutLog.ExecutionCrashed(_log, ex, id);
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
            task = cold.Unwrap();
            _running[id] = task;
        }

        cold.RunSynchronously(TaskScheduler.Default);
        return task;
    }

    public int Running => _running.Count;

    public bool IsRunning(string payoutId) => _running.ContainsKey(payoutId);

    public IReadOnlyList<string> RunningIds => [.. _running.Keys];

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before any hosted service stops (the server still answers, leases are still renewed): drains.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    /// <summary>The drain normally ended in <see cref="StoppingAsync"/>; a host that skipped it drains here.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void BeginDraining()
    {
        lock (_gate)
        {
            if (_draining.IsCancellationRequested || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _drainStartedAt = _time.GetUtcNow();
            Log.Draining(_log, _running.Count, (long)_shutdown.Value.ShutdownTimeout.TotalSeconds);
            _draining.Cancel();
        }
    }

    /// <summary>
    /// Waits for every execution to finish its step and hand over, until
    /// <see cref="GracefulShutdown.CancelMargin"/> before the shutdown timeout (or the host's
    /// own stop token); then cancels what is still in flight and waits that margin for it to end.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        BeginDraining();
        var cancelAt = _drainStartedAt + _shutdown.Value.ShutdownTimeout - GracefulShutdown.CancelMargin;
        var left = cancelAt - _time.GetUtcNow();
        using var deadline = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        if (await AllEndedAsync(waiting.Token))
        {
            return;
        }

        Log.CancellingInFlight(_log, _running.Count);
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _aborting.Cancel();
        }

        using var margin = new CancellationTokenSource(GracefulShutdown.CancelMargin, _time);
        await AllEndedAsync(margin.Token);
    }

    /// <summary>Whether every execution (also those started meanwhile) ended before <paramref name="cancellationToken"/>.</summary>
    private async Task<bool> AllEndedAsync(CancellationToken cancellationToken)
    {
        while (!_running.IsEmpty)
        {
            await Task.WhenAll((IEnumerable<Task>)_running.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested)
            {
                return _running.IsEmpty;
            }
        }

        return true;
    }

    /// <summary>The container may dispose before the host stops (a failed start, a test host): cancel once, then free.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _onStopping.Dispose();
        lock (_gate)
        {
            _draining.Cancel();
            _aborting.Cancel();
            _draining.Dispose();
            _aborting.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Shutting down: {Running} payout execution(s) finish their partner call, then hand over; up to {TimeoutSeconds} s")]
        public static partial void Draining(ILogger logger, int running, long timeoutSeconds);

        [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Shutdown timeout nearly spent: cancelling {Running} execution(s) still in a partner call; their leases lapse and another instance resolves them by inquiry")]
        public static partial void CancellingInFlight(ILogger logger, int running);
    }
}
