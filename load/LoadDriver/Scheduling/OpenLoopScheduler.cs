using LoadDriver.Recording;

namespace LoadDriver.Scheduling;

/// <summary>
/// Fires requests at a constant arrival rate: request i is due at start + i / rate and is sent
/// then, without waiting for earlier ones to finish (an open model). Latency is measured from
/// each request's intended time, so a stalled driver or server cannot hide its stall by sending
/// less. At most <see cref="ScheduleOptions.MaxInFlight"/> requests are in flight; a request due
/// beyond that is counted as not sent in time, never queued. Bounded by the request count and,
/// once the last request is due, by the drain timeout. A phase may end early when
/// <see cref="ScheduleOptions.StopWhen"/> says so (a chaos run that has seen recovery).
/// </summary>
public sealed class OpenLoopScheduler(TimeProvider time)
{
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(5);

    private int _dispatched;
    private int _running;

    /// <summary>Requests of the current run the scheduler has dealt with (sent or counted not sent); tests wait on it.</summary>
    internal int Dispatched => Volatile.Read(ref _dispatched);

    /// <summary>Requests sent and not yet answered.</summary>
    internal int InFlight => Volatile.Read(ref _running);

    public async Task<ScheduleResult<T>> RunAsync<T>(
        ScheduleOptions options,
        Func<int, CancellationToken, Task<T>> send,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(send);
        options.Validate();

        var latency = new LatencyHistogram();
        var sendLag = new LatencyHistogram();
        var frequency = (double)time.TimestampFrequency;
        var slots = new ScheduledRequest<T>?[options.Count];
        var inFlight = new List<Task>(options.Count);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = time.GetTimestamp();
        Volatile.Write(ref _dispatched, 0);
        Volatile.Write(ref _running, 0);

        var count = options.Count;
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)Math.Round(i * frequency / options.RatePerSecond);
            await WaitUntilAsync(due, cancellationToken);
            if (options.StopWhen?.Invoke() == true)
            {
                count = i;
                break;
            }

            var intended = time.GetElapsedTime(start, due);
            if (Volatile.Read(ref _running) >= options.MaxInFlight)
            {
                slots[i] = new ScheduledRequest<T>(i, RequestFate.NotSentInTime, intended, null, null, default);
                Interlocked.Increment(ref _dispatched);
                continue;
            }

            Interlocked.Increment(ref _running);
            inFlight.Add(FireAsync(i, due));
            Interlocked.Increment(ref _dispatched);
        }

        var drain = Task.WhenAll(inFlight);
        try
        {
            await drain.WaitAsync(options.DrainTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Answers still missing: cancel them and give them a moment to see it; whatever has
            // not finished by then is reported as unfinished.
            await abandon.CancelAsync();
            await Task.WhenAny(drain, Task.Delay(AbandonGrace, time, CancellationToken.None));
        }

        var elapsed = time.GetElapsedTime(start);
        var requests = slots.Take(count).Select((slot, i) => slot
            ?? new ScheduledRequest<T>(i, RequestFate.Unfinished, time.GetElapsedTime(start, start + (long)Math.Round(i * frequency / options.RatePerSecond)), null, null, default))
            .ToList();
        return new ScheduleResult<T>(options, requests, latency, sendLag, elapsed);

        async Task FireAsync(int index, long due)
        {
            var sentAt = time.GetTimestamp();
            var intended = time.GetElapsedTime(start, due);
            var sent = time.GetElapsedTime(start, sentAt);
            sendLag.Record(time.GetElapsedTime(due, sentAt));
            try
            {
                var result = await send(index, abandon.Token);
                var finishedAt = time.GetTimestamp();
                if (abandon.IsCancellationRequested)
                {
                    slots[index] = new ScheduledRequest<T>(index, RequestFate.Unfinished, intended, sent, null, default);
                    return;
                }

                latency.Record(time.GetElapsedTime(due, finishedAt));
                slots[index] = new ScheduledRequest<T>(index, RequestFate.Completed, intended, sent, time.GetElapsedTime(start, finishedAt), result);
            }
            catch (OperationCanceledException) when (abandon.IsCancellationRequested)
            {
                slots[index] = new ScheduledRequest<T>(index, RequestFate.Unfinished, intended, sent, null, default);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    private async Task WaitUntilAsync(long due, CancellationToken cancellationToken)
    {
        while (true)
        {
            var ahead = due - time.GetTimestamp();
            if (ahead <= 0)
            {
                return;
            }

            // Whole milliseconds, rounded up: never early, and no spinning on sub-millisecond waits.
            var milliseconds = Math.Ceiling(ahead * 1000.0 / time.TimestampFrequency);
            await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), time, cancellationToken);
        }
    }
}
