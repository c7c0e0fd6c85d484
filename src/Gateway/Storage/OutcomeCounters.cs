using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// Reads the per-minute and per-hour outcome counters the save script writes
/// (<see cref="PayoutKeys.OutcomesMinute"/>, <see cref="PayoutKeys.OutcomesHour"/>): one pipelined
/// HGETALL per bucket. A bucket of one minute reads the minute hash; a longer one the whole hour's.
/// </summary>
public sealed class OutcomeCounters(IConnectionMultiplexer redis)
{
    public async Task<IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>>> ReadAsync(
        IReadOnlyList<(long StartMinute, int Minutes)> buckets)
    {
        var db = redis.GetDatabase();
        var hashes = await Task.WhenAll(buckets.Select(b => db.HashGetAllAsync(
            b.Minutes == 1 ? PayoutKeys.OutcomesMinute(b.StartMinute) : PayoutKeys.OutcomesHour(b.StartMinute / 60))));
        return [.. hashes.Select(h => (IReadOnlyList<KeyValuePair<string, string>>)
            [.. h.Select(e => KeyValuePair.Create((string)e.Name!, (string)e.Value!))])];
    }
}
