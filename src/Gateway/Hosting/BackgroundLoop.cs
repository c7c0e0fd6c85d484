namespace Gateway.Hosting;

/// <summary>
/// Runs one step of a background service every <see cref="Interval"/> until the host stops, and
/// survives the step's failures: whatever it throws (Redis away, an <c>OOM</c> error reply, an
/// unreadable stored document, a bug) is logged with its type and the step runs again after a
/// backoff that doubles per consecutive failure up to <see cref="MaxBackoff"/>. Only
/// cancellation by <c>stoppingToken</c> ends the loop, so one exception can never stop the host
/// (.NET's default <c>BackgroundServiceExceptionBehavior.StopHost</c>).
/// </summary>
/// <param name="Name">The loop's name in logs, e.g. <c>reconciler</c>.</param>
/// <param name="Interval">The wait between two successful steps.</param>
/// <param name="MaxBackoff">The longest wait after failures; never shorter than <paramref name="Interval"/>.</param>
/// <param name="RunFirstAtOnce">Whether the first step runs at start rather than one interval later.</param>
public sealed partial record BackgroundLoop(string Name, TimeSpan Interval, TimeSpan MaxBackoff, bool RunFirstAtOnce = false)
{
    /// <summary>Runs <paramref name="step"/> until <paramref name="stoppingToken"/> is cancelled; returns then.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> step, TimeProvider time, ILogger log, CancellationToken stoppingToken)
    {
        var failures = 0;
        var wait = RunFirstAtOnce ? TimeSpan.Zero : Interval;
        while (true)
        {
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                await step(stoppingToken);
                failures = 0;
                wait = Interval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                wait = BackoffAfter(failures);
                if (ex.IsStateStoreFailure())
                {
                    Log.StepFailedStateStore(log, Name, ex.GetType().Name, failures, (long)wait.TotalMilliseconds);
                }
                else
                {
                    Log.StepFailed(log, ex, Name, ex.GetType().Name, failures, (long)wait.TotalMilliseconds);
                }
            }
        }
    }

    /// <summary>The wait after <paramref name="failures"/> consecutive failures: 2, 4, 8… intervals, capped.</summary>
    public TimeSpan BackoffAfter(int failures)
    {
        var cap = MaxBackoff > Interval ? MaxBackoff : Interval;
        var factor = Math.Pow(2, Math.Min(failures, 30));
        var ticks = Math.Min(Interval.Ticks * factor, cap.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Background loop {Loop} failed ({ErrorType}), failure {Failures} in a row; it goes on in {BackoffMs} ms")]
        public static partial void StepFailed(ILogger logger, Exception exception, string loop, string errorType, int failures, long backoffMs);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Background loop {Loop} failed: state store unavailable ({ErrorType}), failure {Failures} in a row; it goes on in {BackoffMs} ms")]
        public static partial void StepFailedStateStore(ILogger logger, string loop, string errorType, int failures, long backoffMs);
    }
}
