using StackExchange.Redis;

namespace Gateway.Storage;

/// <summary>
/// Refuses a Redis that still holds payouts in the single-node key layout of earlier versions
/// (<c>gw:payout:{id}</c>, <c>gw:processing</c>): this version would not see them, so a processing one
/// would never be finished and a client retry of a final one would create a second payout. Once a
/// Redis is found clean, <see cref="Marker"/> records the layout and later starts read only that.
/// </summary>
public sealed class KeyLayoutCheck(StateDatabase state)
{
    public const string Layout = "sharded-16";

    public static readonly RedisKey Marker = "gw:layout";

    /// <summary>What of an older layout Redis holds, or null when none (then the marker is written).</summary>
    public async Task<string?> FindOlderLayoutAsync()
    {
        var db = state.Db;
        if ((string?)await db.StringGetAsync(Marker) == Layout)
        {
            return null;
        }

        foreach (var key in PayoutKeys.PreShardMarkers)
        {
            if (await db.KeyExistsAsync(key))
            {
                return $"key {key}";
            }
        }

        if (await FindOldPayoutKeyAsync() is { } found)
        {
            return $"key {found}";
        }

        await db.StringSetAsync(Marker, Layout);
        return null;
    }

    /// <summary>A SCAN of every primary for one old payout key (runs once per Redis: the marker then answers).</summary>
    private async Task<string?> FindOldPayoutKeyAsync()
    {
        foreach (var server in state.Connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(state.Db.Database, state.KeyPrefix + "gw:payout:{po_*", pageSize: 1000))
            {
                return key.ToString();
            }
        }

        return null;
    }
}
