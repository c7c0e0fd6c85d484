using System.Collections.Concurrent;
using LoadDriver.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Load.Tests.Scheduling;

public sealed class OpenLoopSchedulerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Run_RequestSentLate_LatencyCountsFromIntendedTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        var scheduler = new OpenLoopScheduler(time);

        // 10/s: due at 0, 100 and 200 ms. The clock then jumps to 250 ms at once, as a stalled
        // driver would see it: requests 1 and 2 go out 150 and 50 ms late and answer at once.
        var run = scheduler.RunAsync(new ScheduleOptions { RatePerSecond = 10, Count = 3 }, (i, _) => Task.FromResult(i));
        await WaitUntilAsync(() => scheduler.Dispatched == 1);
        time.Advance(TimeSpan.FromMilliseconds(250));
        var result = await run.WaitAsync(Bound);

        Assert.All(result.Requests, r => Assert.Equal(RequestFate.Completed, r.Fate));
        Assert.Equal(TimeSpan.FromMilliseconds(100), result.Requests[1].Intended);
        Assert.Equal(TimeSpan.FromMilliseconds(250), result.Requests[1].Sent);
        Assert.Equal(TimeSpan.FromMilliseconds(150), result.Requests[1].SendLag);
        Assert.Equal(TimeSpan.FromMilliseconds(150), result.Requests[1].Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(50), result.Requests[2].Latency);
        Assert.Equal(TimeSpan.Zero, result.Requests[0].Latency);
        Assert.Equal(3, result.Latency.Count);
        Assert.True(result.Latency.SameBucket(TimeSpan.FromMilliseconds(150), result.Latency.Max),
            $"the histogram's max {result.Latency.Max} should be the late request's 150 ms");
        Assert.True(result.SendLag.SameBucket(TimeSpan.FromMilliseconds(150), result.SendLag.Max));
        Assert.Equal(3 / 0.35, result.AchievedRate, 6);
    }

    [Fact]
    public async Task Run_SlowAnswer_LatencyIsIntendedTimeToAnswer_AndLaterRequestsDoNotWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        var scheduler = new OpenLoopScheduler(time);
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new ConcurrentDictionary<int, TimeSpan>();
        var start = time.GetUtcNow();

        var run = scheduler.RunAsync(new ScheduleOptions { RatePerSecond = 10, Count = 2 }, (i, _) =>
        {
            sent[i] = time.GetUtcNow() - start;
            return i == 0 ? first.Task : Task.FromResult(i);
        });
        time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => scheduler.Dispatched == 2);
        time.Advance(TimeSpan.FromMilliseconds(300));
        first.SetResult(0);
        var result = await run.WaitAsync(Bound);

        // Request 1 went out on time although request 0 had not answered (open model).
        Assert.Equal(TimeSpan.FromMilliseconds(100), sent[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(400), result.Requests[0].Latency);
        Assert.Equal(TimeSpan.Zero, result.Requests[1].Latency);
        Assert.Equal(10, result.AchievedRate, 6);
    }

    [Fact]
    public async Task Run_InFlightCapReached_RequestCountedNotSentInTime_NeverSentLate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        var scheduler = new OpenLoopScheduler(time);
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new ConcurrentBag<int>();

        var run = scheduler.RunAsync(new ScheduleOptions { RatePerSecond = 10, Count = 3, MaxInFlight = 1 }, (i, _) =>
        {
            sent.Add(i);
            return i == 0 ? first.Task : Task.FromResult(i);
        });
        time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntilAsync(() => scheduler.Dispatched == 2);
        first.SetResult(0);
        await WaitUntilAsync(() => scheduler.InFlight == 0);
        time.Advance(TimeSpan.FromMilliseconds(100));
        var result = await run.WaitAsync(Bound);

        Assert.Equal([0, 2], sent.Order());
        Assert.Equal(RequestFate.NotSentInTime, result.Requests[1].Fate);
        Assert.Null(result.Requests[1].Latency);
        Assert.Equal(1, result.NotSentInTime);
        Assert.Equal(2, result.Latency.Count);
    }

    [Fact]
    public async Task Run_AnswerMissingAtDrainTimeout_ReportedUnfinishedAndCancelled()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        var scheduler = new OpenLoopScheduler(time);
        var cancelled = false;

        var run = scheduler.RunAsync(new ScheduleOptions { RatePerSecond = 10, Count = 1, DrainTimeout = TimeSpan.FromSeconds(2) },
            async (i, token) =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, token);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }

                return i;
            });
        await WaitUntilAsync(() => scheduler.Dispatched == 1);
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await run.WaitAsync(Bound);

        Assert.True(cancelled);
        Assert.Equal(RequestFate.Unfinished, result.Requests[0].Fate);
        Assert.Equal(1, result.Unfinished);
        Assert.Equal(0, result.Latency.Count);
    }

    [Fact]
    public async Task Run_StopWhenSaysSo_NoFurtherRequestIsSent_AndTheResultHoldsThoseDealtWith()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        var scheduler = new OpenLoopScheduler(time);
        var sent = new ConcurrentBag<int>();

        // 10/s, 10 requests planned; the phase is told to stop once three have been sent.
        var run = scheduler.RunAsync(new ScheduleOptions { RatePerSecond = 10, Count = 10, StopWhen = () => sent.Count >= 3 }, (i, _) =>
        {
            sent.Add(i);
            return Task.FromResult(i);
        });
        for (var step = 0; step < 10 && !run.IsCompleted; step++)
        {
            await WaitUntilAsync(() => scheduler.Dispatched >= Math.Min(step + 1, 3) || run.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var result = await run.WaitAsync(Bound);

        Assert.Equal([0, 1, 2], sent.Order());
        Assert.Equal(3, result.Requests.Count);
        Assert.All(result.Requests, r => Assert.Equal(RequestFate.Completed, r.Fate));
        Assert.Equal(10, result.AchievedRate, 6);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
