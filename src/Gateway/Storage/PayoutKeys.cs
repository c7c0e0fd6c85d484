using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// The Redis key schema, safe on Redis Cluster. A payout is one string value (<see cref="PayoutValue"/>).
/// <para>
/// Every payout belongs to one of <see cref="Shards"/> shards (<see cref="ShardOf"/>, from its id), and
/// every key a script touches for that payout carries the shard's hash tag: the payout, its in-flight
/// marker and lease, and the shard's share of everything that spans payouts — the reconciler's list,
/// the client indexes, the outcome counters and the recent-failure feeds. So a claim or a save stays
/// one atomic script in one hash slot, and a cluster accepts it. Readers of the spanning data
/// (<see cref="PayoutList"/>, <see cref="OutcomeCounters"/>, the reconciler, the feeds) read every
/// shard in one pipelined fan-out and merge: 16 reads where a single node needed one.
/// </para>
/// <para>
/// The tags are chosen so that shard <c>i</c>'s slot lies in the <c>i</c>-th sixteenth of the 16,384
/// slots: a cluster whose primaries own equal slot ranges (what <c>redis-cli --cluster create</c>
/// does) gets an equal share of shards, up to 16 primaries. The shard count and the tags are part
/// of the stored layout: changing them strands stored payouts.
/// </para>
/// </summary>
public static class PayoutKeys
{
    public const int Shards = 16;

    /// <summary>Hash tags, one per shard (CRC16 slots 907, 1372, 2665, … 16030; a test pins them).</summary>
    private static readonly string[] Tags =
    [
        "{p0.41}", "{p1.42}", "{p2.3}", "{p3.0}", "{p4.22}", "{p5.21}", "{p6.11}", "{p7.12}",
        "{p8.61}", "{p9.62}", "{p10.62}", "{p11.61}", "{p12.43}", "{p13.40}", "{p14.12}", "{p15.11}",
    ];

    /// <summary>Every shard, for the readers that fan out.</summary>
    public static IEnumerable<int> AllShards => Enumerable.Range(0, Shards);

    /// <summary>The hash tag of <paramref name="shard"/>, braces included.</summary>
    public static string Tag(int shard) => Tags[shard];

    /// <summary>
    /// The shard of a payout: FNV-1a of its id, modulo <see cref="Shards"/>. Deterministic across
    /// processes and versions (never <c>string.GetHashCode</c>); ids are HMAC output, so shards fill evenly.
    /// </summary>
    public static int ShardOf(string payoutId)
    {
        var hash = 2166136261u;
        foreach (var c in payoutId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }

    public static RedisKey Payout(string id) => "gw:" + Tags[ShardOf(id)] + ":payout:" + id;

    /// <summary>Present while the request that created the payout is still running (409 for others).</summary>
    public static RedisKey InFlight(string id) => "gw:" + Tags[ShardOf(id)] + ":inflight:" + id;

    /// <summary>The instance driving a processing payout now, with a TTL it renews (Recovery/PayoutLeases).</summary>
    public static RedisKey Lease(string id) => "gw:" + Tags[ShardOf(id)] + ":lease:" + id;

    /// <summary>
    /// One shard's payouts not yet final, scored by when each is next due for a check (unix ms):
    /// the reconciler's work list is the union of every shard's.
    /// </summary>
    public static RedisKey Processing(int shard) => "gw:" + Tags[shard] + ":processing";

    /// <summary>The reconciler list that holds <paramref name="payoutId"/>.</summary>
    public static RedisKey ProcessingOf(string payoutId) => Processing(ShardOf(payoutId));

    /// <summary>A client's payouts in one shard with one status (processing, succeeded, failed), scored by creation time.</summary>
    public static RedisKey ClientStatus(int shard, string client, string status) => $"gw:{Tags[shard]}:idx:{client}:status:{status}";

    /// <summary>A client's failed payouts in one shard with one cause, scored by creation time.</summary>
    public static RedisKey ClientCause(int shard, string client, string cause) => $"gw:{Tags[shard]}:idx:{client}:cause:{cause}";

    /// <summary>A client's failed payouts in one shard in one category, scored by creation time.</summary>
    public static RedisKey ClientCategory(int shard, string client, string category) => $"gw:{Tags[shard]}:idx:{client}:category:{category}";

    /// <summary>
    /// One shard's final outcomes of one minute, for every client: <c>f|category|cause|partner</c> and
    /// <c>s|partner</c> counters, and <c>latest|category|cause|partner</c> → an example payout id.
    /// </summary>
    public static RedisKey OutcomesMinute(int shard, long unixMinute) => $"gw:{Tags[shard]}:stats:minute:{unixMinute}";

    /// <summary>
    /// The same counters as <see cref="OutcomesMinute"/> for one whole hour (unix hours), written by
    /// the same script, so a long diagnostics window reads hours instead of thousands of minutes.
    /// </summary>
    public static RedisKey OutcomesHour(int shard, long unixHour) => $"gw:{Tags[shard]}:stats:hour:{unixHour}";

    /// <summary>One shard's last 100 failed payouts, every client and partner, newest first: <c>completedAt|payoutId</c>.</summary>
    public static RedisKey RecentFailed(int shard) => "gw:" + Tags[shard] + ":recent:failed";

    /// <summary>One shard's last failures at one partner: <c>cause|payoutId|completedAt</c>, newest first.</summary>
    public static RedisKey RecentFailures(int shard, string partner) => $"gw:{Tags[shard]}:recent:{partner}";

    /// <summary>
    /// One shard's webhook outbox: a stream with one entry per final-status event and endpoint, appended
    /// by the final save itself (<see cref="PayoutStore"/>), read by the dispatcher's consumer group
    /// (<see cref="WebhookOutbox"/>), deleted once delivered.
    /// </summary>
    public static RedisKey Outbox(int shard) => "gw:" + Tags[shard] + ":outbox";

    /// <summary>One shard's outbox entries waiting for a retry: stream entry id scored by when it is due (unix ms).</summary>
    public static RedisKey OutboxRetries(int shard) => "gw:" + Tags[shard] + ":outbox:retry";

    /// <summary>One shard's failed delivery attempts so far: stream entry id → count.</summary>
    public static RedisKey OutboxAttempts(int shard) => "gw:" + Tags[shard] + ":outbox:attempts";

    /// <summary>One shard's dead letters: stream entry id scored by when retries ran out (unix ms); the entry stays in the stream.</summary>
    public static RedisKey OutboxDead(int shard) => "gw:" + Tags[shard] + ":outbox:dead";

    /// <summary>
    /// Keys only the single-node layout before shards had (<c>gw:processing</c>, <c>gw:recent:failed</c>):
    /// if Redis still holds them, payouts of that layout are stored there (<see cref="KeyLayoutCheck"/>).
    /// </summary>
    public static readonly RedisKey[] PreShardMarkers = ["gw:processing", "gw:recent:failed"];
}
