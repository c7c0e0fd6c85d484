using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Hosting;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Gateway.Tests.Hosting;

/// <summary>A background loop survives whatever its step throws: it logs, backs off, and goes on.</summary>
public sealed class BackgroundLoopTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task RunAsync_StepThrowsTwiceThenSucceeds_BacksOffGrowingAndGoesOn()
    {
        var time = new ObservedTime();
        var start = time.GetUtcNow();
        var calls = new ConcurrentQueue<TimeSpan>();
        var log = new CapturingLogger();
        using var stop = new CancellationTokenSource();
        var loop = new BackgroundLoop("test", Interval, TimeSpan.FromSeconds(10), RunFirstAtOnce: true);

        var running = Task.Run(() => loop.RunAsync(_ =>
        {
            calls.Enqueue(time.GetUtcNow() - start);
            return calls.Count switch
            {
                1 => throw new RedisServerException(RedisErrorKind.OutOfMemory, CommandFlags.None, "OOM command not allowed when used memory > 'maxmemory'."),
                2 => throw new JsonException("'n' is an invalid start of a value."),
                _ => Task.CompletedTask,
            };
        }, time, log, stop.Token));

        await time.WaitForWaitsAsync(1);
        time.Fake.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        Assert.Single(calls);
        time.Fake.Advance(TimeSpan.FromMilliseconds(1));
        await time.WaitForWaitsAsync(2);
        time.Fake.Advance(TimeSpan.FromSeconds(4));
        await time.WaitForWaitsAsync(3);
        time.Fake.Advance(Interval);
        await time.WaitForWaitsAsync(4);

        // Two failures back off 2 and 4 intervals; after a success the plain interval again.
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(7)], calls);
        Assert.Equal(2, log.Entries.Count(e => e.Level == LogLevel.Error));
        Assert.Contains(log.Entries, e => e.Message.Contains("RedisServerException", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Message.Contains("JsonException", StringComparison.Ordinal));
        Assert.False(running.IsCompleted, "the loop ended after a failure");

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public void BackoffAfter_ManyFailures_IsCappedAtMaxBackoff()
    {
        var loop = new BackgroundLoop("test", Interval, TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(2), loop.BackoffAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(8), loop.BackoffAfter(3));
        Assert.Equal(TimeSpan.FromSeconds(10), loop.BackoffAfter(4));
        Assert.Equal(TimeSpan.FromSeconds(10), loop.BackoffAfter(1000));
    }

    [Fact]
    public async Task Host_BackgroundServiceWhoseStepKeepsThrowing_IsNotStopped()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ThrowingService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ThrowingService>());
        using var host = builder.Build();
        await host.StartAsync();
        var service = host.Services.GetRequiredService<ThrowingService>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        await Eventually.HoldsAsync(() => service.Failures >= 3, "the loop did not go on after its step threw");

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the host stopped because of a loop's exception");
        await host.StopAsync();
    }

    /// <summary>A <see cref="FakeTimeProvider"/> that counts the waits started on it, so a test moves time only once the loop waits.</summary>
    private sealed class ObservedTime : TimeProvider
    {
        private int _waits;

        public FakeTimeProvider Fake { get; } = new();

        public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

        public override long GetTimestamp() => Fake.GetTimestamp();

        public override long TimestampFrequency => Fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _waits);
            return Fake.CreateTimer(callback, state, dueTime, period);
        }

        public Task WaitForWaitsAsync(int count) =>
            Eventually.HoldsAsync(() => Volatile.Read(ref _waits) >= count, $"the loop never began wait {count}", TimeSpan.FromSeconds(5));
    }

    private sealed class ThrowingService(TimeProvider time) : BackgroundService
    {
        private int _failures;

        public ThrowingService() : this(TimeProvider.System)
        {
        }

        public int Failures => Volatile.Read(ref _failures);

        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            new BackgroundLoop("throwing", TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40))
                .RunAsync(_ =>
                {
                    Interlocked.Increment(ref _failures);
                    throw new InvalidOperationException("a bug");
                }, time, new CapturingLogger(), stoppingToken);
    }

    private sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
