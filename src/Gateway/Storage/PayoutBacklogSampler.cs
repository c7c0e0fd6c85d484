using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Auth;
using Gateway.Hosting;
using Gateway.Partners;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>Metrics:BacklogSampleInterval, how often <see cref="PayoutBacklogSampler"/> reads Redis.</summary>
public sealed class BacklogSamplerOptions
{
    public const string Section = "Metrics";

    /// <summary>Default 15 s, Prometheus's scrape interval: a gauge is never older than one scrape.</summary>
    public TimeSpan BacklogSampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Reads the processing backlog in the background, never on a scrape: every
/// <see cref="BacklogSamplerOptions.BacklogSampleInterval"/> one pipelined fan-out over the 16
/// shards × configured clients' <c>processing</c> indexes (scored by creation time): a
/// <c>ZCOUNT</c> per age bucket and the oldest entry. The result is cached and reported by the
/// <c>gateway.payouts.processing</c> (by <c>age</c>) and <c>gateway.payouts.processing.oldest.age</c>
/// gauges. Every instance reads the same Redis, so every instance reports the same backlog:
/// aggregate with <c>max</c>, never <c>sum</c>.
/// <para>
/// Redis latency: each round also sends one <c>PING</c> and times it, and times the fan-out, into
/// <c>gateway.redis.probe.duration</c> (<c>probe</c> = ping | backlog, <c>outcome</c> = ok | error).
/// A probe, not every store command: cheap (two round trips per interval), on the same multiplexer
/// as payout traffic, so it sees the queueing payouts see; a failed round is an error sample and
/// the gauges keep the last good sample.
/// </para>
/// </summary>
public sealed class PayoutBacklogSampler : BackgroundService
{
    /// <summary>Seconds; a healthy local Redis answers in well under a millisecond.</summary>
    private static readonly double[] ProbeBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly StateDatabase _state;
    private readonly IReadOnlyList<string> _clients;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<PayoutBacklogSampler> _log;
    private readonly Histogram<double> _probe;
    private volatile PayoutBacklog _last = PayoutBacklog.Empty;

    public PayoutBacklogSampler(StateDatabase state, IOptions<ApiKeyOptions> clients, IOptions<BacklogSamplerOptions> options,
        IMeterFactory meters, TimeProvider time, ILogger<PayoutBacklogSampler> log)
    {
        _state = state;
        _clients = [.. clients.Value.ApiKeys.Keys];
        _interval = options.Value.BacklogSampleInterval;
        _time = time;
        _log = log;
        var meter = meters.Create(GatewayMetrics.MeterName);
        meter.CreateObservableGauge("gateway.payouts.processing", ObserveByAge, "{payout}",
            "Payouts still processing, by age since creation (lt_1m, 1m_5m, 5m_30m, gt_30m); sampled in the background, the same on every instance.");
        meter.CreateObservableGauge("gateway.payouts.processing.oldest.age", () => _last.OldestAge.TotalSeconds, "s",
            "Age of the oldest payout still processing (0 when none); sampled in the background, the same on every instance.");
        _probe = meter.CreateHistogram("gateway.redis.probe.duration", "s",
            "Round trip of the background Redis probes, by probe (ping, backlog: the pipelined fan-out over every shard) and outcome (ok, error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProbeBuckets });
    }

    /// <summary>The last good sample (<see cref="PayoutBacklog.Empty"/> before the first).</summary>
    public PayoutBacklog Last => _last;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new BackgroundLoop("backlog-sampler", _interval, TimeSpan.FromMinutes(1), RunFirstAtOnce: true)
            .RunAsync(_ => SampleOnceAsync(), _time, _log, stoppingToken);

    /// <summary>One round: a timed PING, then the timed fan-out; caches and returns the backlog.</summary>
    public async Task<PayoutBacklog> SampleOnceAsync()
    {
        await TimedAsync("ping", () => _state.Db.PingAsync());
        var backlog = await TimedAsync("backlog", ReadAsync);
        _last = backlog;
        return backlog;
    }

    private async Task<T> TimedAsync<T>(string probe, Func<Task<T>> read)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await read();
            outcome = "ok";
            return result;
        }
        finally
        {
            _probe.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("probe", probe), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private async Task<PayoutBacklog> ReadAsync()
    {
        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        // Bucket i holds creation times in (now - From[i+1], now - From[i]]; the oldest bucket is unbounded below.
        var upper = PayoutBacklog.Buckets.Select(b => (double)(nowMs - (long)b.From.TotalMilliseconds)).ToArray();
        var db = _state.Db;
        var counts = new List<Task<long>>[PayoutBacklog.Buckets.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = [];
        }

        var oldest = new List<Task<SortedSetEntry[]>>();
        var batch = db.CreateBatch();
        foreach (var shard in PayoutKeys.AllShards)
        {
            foreach (var client in _clients)
            {
                var key = PayoutKeys.ClientStatus(shard, client, "processing");
                for (var i = 0; i < counts.Length; i++)
                {
                    var min = i + 1 < upper.Length ? upper[i + 1] : double.NegativeInfinity;
                    var exclude = i + 1 < upper.Length ? Exclude.Start : Exclude.None;
                    // The youngest bucket also takes entries stamped a little in the future (clock skew).
                    var max = i == 0 ? double.PositiveInfinity : upper[i];
                    counts[i].Add(batch.SortedSetLengthAsync(key, min, max, exclude));
                }

                oldest.Add(batch.SortedSetRangeByRankWithScoresAsync(key, 0, 0));
            }
        }

        batch.Execute();
        var byAge = new long[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            byAge[i] = (await Task.WhenAll(counts[i])).Sum();
        }

        var firsts = (await Task.WhenAll(oldest)).SelectMany(e => e).ToList();
        var oldestAge = firsts.Count == 0
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(Math.Max(0, nowMs - firsts.Min(e => e.Score)));
        return new PayoutBacklog(now, byAge, oldestAge);
    }

    private IEnumerable<Measurement<long>> ObserveByAge()
    {
        var last = _last;
        for (var i = 0; i < PayoutBacklog.Buckets.Count; i++)
        {
            yield return new Measurement<long>(last.ByAge[i], new KeyValuePair<string, object?>("age", PayoutBacklog.Buckets[i].Label));
        }
    }
}

/// <summary>Registers <see cref="PayoutBacklogSampler"/> and its options.</summary>
public static class PayoutBacklogSetup
{
    public static IServiceCollection AddPayoutBacklogSampler(this IServiceCollection services)
    {
        services.AddOptions<BacklogSamplerOptions>().BindConfiguration(BacklogSamplerOptions.Section)
            .Validate(o => o.BacklogSampleInterval > TimeSpan.Zero, "Metrics:BacklogSampleInterval must be positive.");
        services.AddSingleton<PayoutBacklogSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<PayoutBacklogSampler>());
        return services;
    }
}
