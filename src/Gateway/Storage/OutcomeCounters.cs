using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// Reads the per-minute and per-hour outcome counters the save script writes
/// (<see cref="PayoutKeys.OutcomesMinute"/>, <see cref="PayoutKeys.OutcomesHour"/>): one HGETALL per
/// bucket and shard, all pipelined. A bucket of one minute reads the minute hashes; a longer one the
/// whole hour's. Each bucket's answer is every shard's entries together: counters of one name appear
/// once per shard that has them, and the caller adds them up.
/// </summary>
public sealed class OutcomeCounters(StateDatabase state)
{
    public async Task<IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>>> ReadAsync(
        IReadOnlyList<(long StartMinute, int Minutes)> buckets)
    {
        var db = state.Db;
        var reads = buckets.Select(b => PayoutKeys.AllShards.Select(shard => db.HashGetAllAsync(
            b.Minutes == 1 ? PayoutKeys.OutcomesMinute(shard, b.StartMinute) : PayoutKeys.OutcomesHour(shard, b.StartMinute / 60))).ToArray()).ToArray();
        await Task.WhenAll(reads.SelectMany(r => r));
        return [.. reads.Select(shards => (IReadOnlyList<KeyValuePair<string, string>>)
            [.. shards.SelectMany(h => h.Result).Select(e => KeyValuePair.Create((string)e.Name!, (string)e.Value!))])];
    }
}
