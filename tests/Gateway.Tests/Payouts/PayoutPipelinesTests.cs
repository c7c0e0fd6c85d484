using Gateway.Payouts;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;
using StackExchange.Redis;

namespace Gateway.Tests.Payouts;

public sealed class PayoutPipelinesTests
{
    private static ResiliencePipeline SavePipeline()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddPayoutPipelines();
        return services.BuildServiceProvider().GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(PayoutPipelines.Save);
    }

    [Fact]
    public async Task Save_StateStoreUnavailable_RetriesWithGrowingBackoffUntilItAnswers()
    {
        var calls = 0;
        var started = TimeProvider.System.GetTimestamp();

        var result = await SavePipeline().ExecuteAsync(_ =>
        {
            if (++calls < 3)
            {
                throw new RedisTimeoutException(CommandFlags.None, "down", CommandStatus.Unknown);
            }

            return ValueTask.FromResult(calls);
        }, CancellationToken.None);

        Assert.Equal(3, result);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(290), "100 ms, then 200 ms");
    }

    [Fact]
    public async Task Save_WaitsOnTheHostsTimeProvider()
    {
        var time = new FakeTimeProvider();
        var pipeline = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(time).AddPayoutPipelines()
            .BuildServiceProvider().GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(PayoutPipelines.Save);
        var calls = 0;

        var run = pipeline.ExecuteAsync(_ =>
        {
            if (++calls < 2)
            {
                throw new RedisTimeoutException(CommandFlags.None, "down", CommandStatus.Unknown);
            }

            return ValueTask.FromResult(calls);
        }, CancellationToken.None).AsTask();
        await Task.Delay(200, CancellationToken.None);
        Assert.False(run.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(2, await run.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task Save_OtherException_IsNotRetried()
    {
        var calls = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await SavePipeline().ExecuteAsync<int>(
            _ => { calls++; throw new InvalidOperationException("bug"); }, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Save_Cancelled_StopsRetrying()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        var calls = 0;

        await Assert.ThrowsAnyAsync<Exception>(async () => await SavePipeline().ExecuteAsync<int>(
            _ => { calls++; throw new RedisTimeoutException(CommandFlags.None, "down", CommandStatus.Unknown); }, cancel.Token));

        Assert.InRange(calls, 2, 5);
    }
}
