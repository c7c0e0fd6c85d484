using Gateway.Payouts;
using StackExchange.Redis;

namespace Gateway.Ops;

/// <summary>One counter of a window: how many, and the latest example payout with the minute it ended in.</summary>
public sealed record Tally(string Key, long Count, string? LatestPayoutId, long LatestMinute);

/// <summary>Final outcomes in a window, summed from the per-minute counters the store writes.</summary>
public sealed record OutcomeWindow(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<FailureTally> Failures,
    IReadOnlyDictionary<string, long> SucceededByPartner,
    IReadOnlyList<MinuteFailures> Minutes);

/// <summary>Failures with one category, cause and partner in the window.</summary>
public sealed record FailureTally(string Category, string Cause, string Partner, long Count, string? LatestPayoutId, long LatestMinute);

/// <summary>Failures by cause in one minute (unix minutes).</summary>
public sealed record MinuteFailures(long Minute, IReadOnlyDictionary<string, long> ByCause);

/// <summary>
/// Reads the per-minute outcome hashes (<see cref="PayoutKeys.OutcomesMinute"/>) for a window:
/// one pipelined HGETALL per minute, never a scan of payouts.
/// </summary>
public sealed class OutcomeStats(IConnectionMultiplexer redis, TimeProvider time)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    public async Task<OutcomeWindow> ReadAsync(TimeSpan window)
    {
        var to = time.GetUtcNow();
        var from = to - window;
        var first = from.ToUnixTimeSeconds() / 60;
        var last = to.ToUnixTimeSeconds() / 60;
        var db = redis.GetDatabase();
        var minutes = new List<long>();
        for (var m = first; m <= last; m++)
        {
            minutes.Add(m);
        }

        var hashes = await Task.WhenAll(minutes.Select(m => db.HashGetAllAsync(PayoutKeys.OutcomesMinute(m))));
        var failures = new Dictionary<string, (long Count, string? Latest, long LatestMinute)>(StringComparer.Ordinal);
        var succeeded = new Dictionary<string, long>(StringComparer.Ordinal);
        var series = new List<MinuteFailures>();
        for (var i = 0; i < minutes.Count; i++)
        {
            var byCause = new Dictionary<string, long>(StringComparer.Ordinal);
            var latest = hashes[i].Where(e => ((string)e.Name!).StartsWith("latest|", StringComparison.Ordinal))
                .ToDictionary(e => ((string)e.Name!)["latest|".Length..], e => (string?)e.Value, StringComparer.Ordinal);
            foreach (var entry in hashes[i])
            {
                var name = (string)entry.Name!;
                if (name.StartsWith("s|", StringComparison.Ordinal))
                {
                    succeeded[name[2..]] = succeeded.GetValueOrDefault(name[2..]) + (long)entry.Value;
                }
                else if (name.StartsWith("f|", StringComparison.Ordinal))
                {
                    var key = name[2..];
                    var count = (long)entry.Value;
                    var previous = failures.GetValueOrDefault(key);
                    failures[key] = latest.TryGetValue(key, out var id) && id is not null
                        ? (previous.Count + count, id, minutes[i])
                        : (previous.Count + count, previous.Latest, previous.LatestMinute);
                    var cause = key.Split('|')[1];
                    byCause[cause] = byCause.GetValueOrDefault(cause) + count;
                }
            }

            series.Add(new MinuteFailures(minutes[i], byCause));
        }

        var tallies = failures.Select(f =>
        {
            var parts = f.Key.Split('|');
            return new FailureTally(parts[0], parts[1], parts[2], f.Value.Count, f.Value.Latest, f.Value.LatestMinute);
        }).ToList();
        return new OutcomeWindow(from, to, tallies, succeeded, series);
    }
}
