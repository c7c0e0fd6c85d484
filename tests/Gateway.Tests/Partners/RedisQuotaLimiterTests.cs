using System.Diagnostics;
using System.Threading.RateLimiting;
using Gateway.Partners;
using Gateway.Storage;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Gateway.Tests.Partners;

/// <summary>
/// The Redis-backed quota limiter against a real Redis: two limiters on one bucket (as two gateway
/// instances have) never grant more than the bucket holds, chunks spare round trips without
/// over-granting, leftovers past the hold are discarded (never used, never given back), and with
/// Redis down nothing is granted. Rates are chosen so that refill during a test is nil (a day's
/// period) or bounded by the measured elapsed time: the assertions hold whatever the machine's speed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RedisQuotaLimiterTests(RedisFixture redis)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task TwoInstances_OneBucket_GrantExactlyWhatTheBucketHolds()
    {
        var key = NewKey();
        using var a = Limiter(key, limit: 10, perPeriod: 10, Day);
        using var b = Limiter(key, limit: 10, perPeriod: 10, Day);

        var leases = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? a : b).AcquireAsync(1).AsTask()));

        Assert.Equal(10, leases.Count(l => l.IsAcquired));
        Assert.All(leases.Where(l => !l.IsAcquired), l =>
        {
            Assert.True(l.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
            Assert.True(retryAfter > TimeSpan.Zero);
        });
        Assert.True(a.GetStatistics()!.TotalSuccessfulLeases > 0 && b.GetStatistics()!.TotalSuccessfulLeases > 0, "both instances got permits");
    }

    [Fact]
    public async Task TwoInstances_UnderLoad_NeverGrantMoreThanBurstPlusRefillOverTheWindow()
    {
        const int Burst = 5;
        const int PerSecond = 50;
        var key = NewKey();
        using var a = Limiter(key, Burst, PerSecond, TimeSpan.FromSeconds(1), queue: 0, chunk: RedisQuotaLimiter.ChunkFor(Burst, PerSecond, TimeSpan.FromSeconds(1)));
        using var b = Limiter(key, Burst, PerSecond, TimeSpan.FromSeconds(1), queue: 0, chunk: RedisQuotaLimiter.ChunkFor(Burst, PerSecond, TimeSpan.FromSeconds(1)));
        var granted = 0;

        var window = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var limiter = i % 2 == 0 ? a : b;
            while (window.Elapsed < TimeSpan.FromSeconds(1.5))
            {
                using var lease = await limiter.AcquireAsync(1);
                if (lease.IsAcquired)
                {
                    Interlocked.Increment(ref granted);
                }
            }
        })));
        var elapsed = window.Elapsed;

        // Every grant's script ran inside [start, end]: the bucket gave at most its burst plus its refill then.
        var bound = Burst + (PerSecond * elapsed.TotalSeconds);
        Assert.InRange(granted, 1, (int)Math.Floor(bound));
    }

    [Fact]
    public async Task Chunks_OneRoundTripPerChunk_NeverOverGrant()
    {
        var key = NewKey();
        using var a = Limiter(key, limit: 100, perPeriod: 100, Day, chunk: 10, hold: TimeSpan.FromMinutes(5));
        using var b = Limiter(key, limit: 100, perPeriod: 100, Day, chunk: 10, hold: TimeSpan.FromMinutes(5));

        var granted = 0;
        for (var i = 0; i < 160; i++)
        {
            using var lease = await (i % 2 == 0 ? a : b).AcquireAsync(1);
            granted += lease.IsAcquired ? 1 : 0;
        }

        Assert.Equal(100, granted);
        // Ten chunks of ten, then at most one empty answer each; after that "not before the next token" needs no trip.
        Assert.InRange(a.RoundTrips + b.RoundTrips, 10, 12);
        Assert.InRange(await Tokens(key), 0, 0.01);
    }

    [Fact]
    public async Task Chunks_ConcurrentMisses_ShareRoundTrips_AndNeverOverGrant()
    {
        var key = NewKey();
        using var a = Limiter(key, limit: 100, perPeriod: 100, Day, chunk: 10, hold: TimeSpan.FromMinutes(5));
        using var b = Limiter(key, limit: 100, perPeriod: 100, Day, chunk: 10, hold: TimeSpan.FromMinutes(5));

        var leases = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).AcquireAsync(1).AsTask())));

        Assert.InRange(leases.Count(l => l.IsAcquired), 1, 100);
        Assert.True(a.RoundTrips + b.RoundTrips < 300 / 2, $"{a.RoundTrips + b.RoundTrips} round trips for 300 acquisitions");
    }

    [Fact]
    public async Task Leftovers_AreDiscardedAfterTheHold_NeverUsedNorGivenBack()
    {
        var key = NewKey();
        var time = new FakeTimeProvider();
        using var limiter = Limiter(key, limit: 100, perPeriod: 100, Day, chunk: 10, hold: TimeSpan.FromMilliseconds(100), time: time);

        Assert.True((await limiter.AcquireAsync(1)).IsAcquired);
        Assert.Equal(9, limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.True(limiter.AttemptAcquire(1).IsAcquired); // from the chunk at hand: no round trip
        Assert.Equal(1, limiter.RoundTrips);

        time.Advance(TimeSpan.FromMilliseconds(101));
        Assert.Equal(0, limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.False(limiter.AttemptAcquire(1).IsAcquired);
        Assert.True((await limiter.AcquireAsync(1)).IsAcquired);

        Assert.Equal(2, limiter.RoundTrips);
        Assert.InRange(await Tokens(key), 80, 80.01); // two chunks left the bucket; the 8 discarded never came back
    }

    [Fact]
    public async Task Saturated_WaitsInTheQueueThenRefuses_AndReportsEachWait()
    {
        var key = NewKey();
        var queued = 0;
        using var limiter = Limiter(key, limit: 1, perPeriod: 1, TimeSpan.FromMinutes(1), queue: 1, queued: () => Interlocked.Increment(ref queued));
        using var cancel = new CancellationTokenSource();

        Assert.True((await limiter.AcquireAsync(1)).IsAcquired);
        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        var refused = await limiter.AcquireAsync(1);

        Assert.False(waiting.IsCompleted);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.FromSeconds(30));
        Assert.Equal(1, queued);
        Assert.Equal(1, limiter.GetStatistics()!.CurrentQueuedCount);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task RedisDown_NoPermit_FailsClosed()
    {
        await using var server = await RedisServer.StartNewAsync();
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AsyncTimeout = 1000;
        options.ConnectTimeout = 1000;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var key = NewKey();
        using var limiter = new RedisQuotaLimiter(new RedisTokenBucket(connection.GetDatabase(), key, 100, 100, Day), 5, 1, RedisQuotaLimiter.DefaultHold, TimeProvider.System);
        Assert.True((await limiter.AcquireAsync(1)).IsAcquired);

        await server.StopAsync();
        var leases = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(1).AsTask()));

        Assert.All(leases, lease =>
        {
            Assert.False(lease.IsAcquired);
            Assert.True(lease.TryGetMetadata(MetadataName.ReasonPhrase, out var reason));
            Assert.Equal(QuotaBucket.StoreUnavailable, reason);
        });
        Assert.False(limiter.AttemptAcquire(1).IsAcquired);
    }

    [Fact]
    public void ChunkFor_IsAboutATwentiethOfASecondsPermits_AtLeastOne_AtMostTheBurst()
    {
        Assert.Equal(1, RedisQuotaLimiter.ChunkFor(5, 5, TimeSpan.FromSeconds(1)));
        Assert.Equal(50, RedisQuotaLimiter.ChunkFor(1000, 1000, TimeSpan.FromSeconds(1)));
        Assert.Equal(10, RedisQuotaLimiter.ChunkFor(10, 1000, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, RedisQuotaLimiter.ChunkFor(100, 100, TimeSpan.FromMinutes(1)));
        Assert.Equal("gw:{quota:ycb}:disburse", (string)QuotaKeys.Bucket("ycb", QuotaBucket.Disburse)!);
        Assert.Equal("gw:{quota:ycb}:passthrough", (string)QuotaKeys.Bucket("ycb", QuotaBucket.PassThrough)!);
    }

    private static RedisKey NewKey() => QuotaKeys.Bucket("test-" + Guid.NewGuid().ToString("N"), QuotaBucket.Disburse);

    private RedisQuotaLimiter Limiter(RedisKey key, int limit, int perPeriod, TimeSpan period, int queue = 0, int chunk = 1,
        TimeSpan? hold = null, TimeProvider? time = null, Action? queued = null) =>
        new(new RedisTokenBucket(redis.Connection.GetDatabase(), key, limit, perPeriod, period), queue, chunk, hold ?? RedisQuotaLimiter.DefaultHold,
            time ?? TimeProvider.System, queued);

    private async Task<double> Tokens(RedisKey key) =>
        double.Parse((string)(await redis.Connection.GetDatabase().HashGetAsync(key, "t"))!, System.Globalization.CultureInfo.InvariantCulture);
}
