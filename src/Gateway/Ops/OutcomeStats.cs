using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Storage;

namespace Gateway.Ops;

/// <summary>Final outcomes in a window, summed from the per-minute and per-hour counters the store writes.</summary>
public sealed record OutcomeWindow(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<FailureTally> Failures,
    IReadOnlyDictionary<string, long> SucceededByPartner,
    IReadOnlyList<OutcomeBucket> Buckets)
{
    /// <summary>
    /// Per partner, every hop of the payouts that became final in the window (a payout that failed
    /// over counts at each partner it was attempted at): see <see cref="Gateway.Diagnosis.PartnerHops"/>.
    /// </summary>
    public IReadOnlyDictionary<string, HopCounts> HopsByPartner { get; init; } = new Dictionary<string, HopCounts>(StringComparer.Ordinal);

    /// <summary>The window's first and last unix minute (both included).</summary>
    public long FirstMinute => From.ToUnixTimeSeconds() / 60;

    public long LastMinute => To.ToUnixTimeSeconds() / 60;

    /// <summary>Whether whole hours were read from the hourly counters (the timeline is then hour-aligned).</summary>
    public bool Hourly => Buckets.Any(b => b.Minutes > 1);
}

/// <summary>
/// One partner's hops in a window: executed (<see cref="Ok"/>), not executed for a partner-caused
/// reason (<see cref="PartnerFailures"/>), or for a business one (<see cref="BusinessRejections"/>).
/// </summary>
public sealed record HopCounts(long Ok, long PartnerFailures, long BusinessRejections)
{
    public long Attempts => Ok + PartnerFailures + BusinessRejections;

    /// <summary>Ok over the outcomes the partner is answerable for (ok + partner-caused); null when there are none.</summary>
    public double? SuccessRate => Ok + PartnerFailures == 0 ? null : Math.Round(Ok / (double)(Ok + PartnerFailures), 4);

    /// <summary>These counts with one more hop of <paramref name="kind"/> (<c>ok</c>, <c>partner</c>, <c>business</c>) times <paramref name="count"/>.</summary>
    public HopCounts Add(string kind, long count) => kind switch
    {
        Gateway.Diagnosis.HopKind.Ok => this with { Ok = Ok + count },
        Gateway.Diagnosis.HopKind.Partner => this with { PartnerFailures = PartnerFailures + count },
        Gateway.Diagnosis.HopKind.Business => this with { BusinessRejections = BusinessRejections + count },
        _ => this,
    };
}

/// <summary>Failures with one category, cause and partner in the window; the latest example and the last minute of its bucket.</summary>
public sealed record FailureTally(string Category, string Cause, string Partner, long Count, string? LatestPayoutId, long LatestMinute);

/// <summary>Failures by cause in one counter bucket: a minute, or a whole hour, starting at a unix minute.</summary>
public sealed record OutcomeBucket(long StartMinute, int Minutes, IReadOnlyDictionary<string, long> ByCause);

/// <summary>
/// Reads the outcome counters (<see cref="PayoutKeys.OutcomesMinute"/>, <see cref="PayoutKeys.OutcomesHour"/>)
/// for a window, never a scan of payouts, at a bounded cost: a window up to
/// <see cref="MinutesOnlyUpTo"/> reads one hash per minute; a longer one reads its whole hours from
/// the hourly hashes and only its partial first and last hours from minute hashes (at most
/// 7 × 24 + 2 × 60 pipelined HGETALLs for 7 days). An answer is reused for <see cref="CacheFor"/>
/// per window, so on-call pages refreshing together cost Redis one read.
/// </summary>
public sealed class OutcomeStats(OutcomeCounters counters, TimeProvider time)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    /// <summary>Windows up to this long are read minute by minute (at most 181 hashes).</summary>
    public static readonly TimeSpan MinutesOnlyUpTo = TimeSpan.FromHours(3);

    /// <summary>How long one window's answer is served again without reading Redis.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<TimeSpan, Cached> _cache = new();

    public Task<OutcomeWindow> ReadAsync(TimeSpan window)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(window, out var cached) && now >= cached.At && now - cached.At < CacheFor && !cached.Read.IsFaulted)
        {
            return cached.Read;
        }

        var entry = new Cached(now, ReadFromRedisAsync(now, window));
        _cache[window] = entry;
        _ = entry.Read.ContinueWith(t => _cache.TryRemove(KeyValuePair.Create(window, entry)),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return entry.Read;
    }

    /// <summary>The counter hashes that cover minutes <paramref name="first"/>..<paramref name="last"/>, each exactly once.</summary>
    internal static IReadOnlyList<(long StartMinute, int Minutes)> Plan(long first, long last)
    {
        var plan = new List<(long, int)>();
        if (last - first + 1 <= (long)MinutesOnlyUpTo.TotalMinutes + 1)
        {
            for (var m = first; m <= last; m++)
            {
                plan.Add((m, 1));
            }

            return plan;
        }

        var firstWholeHour = (first + 59) / 60 * 60;
        var currentHour = last / 60 * 60;
        for (var m = first; m < firstWholeHour; m++)
        {
            plan.Add((m, 1));
        }

        for (var h = firstWholeHour; h < currentHour; h += 60)
        {
            plan.Add((h, 60));
        }

        for (var m = currentHour; m <= last; m++)
        {
            plan.Add((m, 1));
        }

        return plan;
    }

    private async Task<OutcomeWindow> ReadFromRedisAsync(DateTimeOffset to, TimeSpan window)
    {
        var from = to - window;
        var plan = Plan(from.ToUnixTimeSeconds() / 60, to.ToUnixTimeSeconds() / 60);
        var hashes = await counters.ReadAsync(plan);
        var failures = new Dictionary<string, (long Count, string? Latest, long LatestMinute)>(StringComparer.Ordinal);
        var succeeded = new Dictionary<string, long>(StringComparer.Ordinal);
        var hops = new Dictionary<string, HopCounts>(StringComparer.Ordinal);
        var buckets = new List<OutcomeBucket>();
        for (var i = 0; i < plan.Count; i++)
        {
            var (start, minutes) = plan[i];
            var end = start + minutes - 1;
            var byCause = new Dictionary<string, long>(StringComparer.Ordinal);
            // Each shard keeps its own example: any of them is one of the bucket's latest.
            var latest = hashes[i].Where(e => e.Key.StartsWith("latest|", StringComparison.Ordinal))
                .GroupBy(e => e.Key["latest|".Length..], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (string?)g.Last().Value, StringComparer.Ordinal);
            foreach (var entry in hashes[i])
            {
                var name = entry.Key;
                if (name.StartsWith("h|", StringComparison.Ordinal) && name.LastIndexOf('|') is var bar && bar > 2)
                {
                    var partner = name[2..bar];
                    hops[partner] = hops.GetValueOrDefault(partner, new HopCounts(0, 0, 0))
                        .Add(name[(bar + 1)..], long.Parse(entry.Value, CultureInfo.InvariantCulture));
                }
                else if (name.StartsWith("s|", StringComparison.Ordinal))
                {
                    succeeded[name[2..]] = succeeded.GetValueOrDefault(name[2..]) + long.Parse(entry.Value, CultureInfo.InvariantCulture);
                }
                else if (name.StartsWith("f|", StringComparison.Ordinal))
                {
                    var key = name[2..];
                    var count = long.Parse(entry.Value, CultureInfo.InvariantCulture);
                    var previous = failures.GetValueOrDefault(key);
                    failures[key] = latest.TryGetValue(key, out var id) && id is not null
                        ? (previous.Count + count, id, end)
                        : (previous.Count + count, previous.Latest, previous.LatestMinute);
                    var cause = key.Split('|')[1];
                    byCause[cause] = byCause.GetValueOrDefault(cause) + count;
                }
            }

            buckets.Add(new OutcomeBucket(start, minutes, byCause));
        }

        var tallies = failures.Select(f =>
        {
            var parts = f.Key.Split('|');
            return new FailureTally(parts[0], parts[1], parts[2], f.Value.Count, f.Value.Latest, f.Value.LatestMinute);
        }).ToList();
        return new OutcomeWindow(from, to, tallies, succeeded, buckets) { HopsByPartner = hops };
    }

    private sealed record Cached(DateTimeOffset At, Task<OutcomeWindow> Read);
}
