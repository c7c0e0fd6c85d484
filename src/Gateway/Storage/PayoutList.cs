using System.Globalization;
using System.Text;
using StackExchange.Redis;
using Gateway.Core;

namespace Gateway.Storage;

/// <summary>The filters of <c>GET /v1/payouts</c>, already validated.</summary>
public sealed record PayoutFilter(
    string Client,
    string? Status,
    string? Category,
    string? Cause,
    string? Partner,
    DateTimeOffset? Since,
    int Limit,
    PayoutCursor? After);

/// <summary>Where a page ended: the creation time (unix ms) and id of its last payout.</summary>
public sealed record PayoutCursor(long Score, string Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Score.ToString(CultureInfo.InvariantCulture)}:{Id}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static PayoutCursor? TryDecode(string text)
    {
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':', 2);
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var score)
                && PayoutId.LooksValid(parts[1])
                ? new PayoutCursor(score, parts[1])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

public sealed record PayoutPage(IReadOnlyList<PayoutRecord> Items, PayoutCursor? Next);

/// <summary>
/// Lists a client's payouts newest first from the Redis indexes the store maintains (never a
/// scan of keys): the most selective index the filter allows (cause, category, status, else
/// all), then the remaining filters on the documents. Each index is kept per shard
/// (<see cref="PayoutKeys"/>): every shard's index is read in one pipelined fan-out and merged. One
/// request reads a bounded number of index entries; if that runs out before the page is full, the
/// page is shorter and the cursor continues from where it stopped.
/// </summary>
public sealed class PayoutList(StateDatabase state)
{
    private const int MaxBatch = 100;

    public async Task<PayoutPage> ReadAsync(PayoutFilter filter)
    {
        var db = state.Db;
        var indexes = IndexesFor(filter);
        // Enough for a page when nothing is filtered out after the index; more rounds when it is.
        var batch = Math.Min(MaxBatch, filter.Limit + 1);
        var budget = Math.Max(filter.Limit * 5, 500);
        var items = new List<PayoutRecord>(filter.Limit);
        var max = filter.After?.Score ?? long.MaxValue;
        var min = filter.Since?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var skipThrough = filter.After;
        PayoutCursor? last = null;
        var scanned = 0;
        while (scanned < budget)
        {
            // Each index's newest batch + 1 in range, merged newest first: the merged first batch are the newest of all.
            var reads = await Task.WhenAll(indexes.Select(index =>
                db.SortedSetRangeByScoreWithScoresAsync(index.Key, min, max, Exclude.None, Order.Descending, 0, batch + 1)));
            var entries = reads.SelectMany(r => r).DistinctBy(e => (string)e.Element!)
                .OrderByDescending(e => e.Score).ThenByDescending(e => (string)e.Element!, StringComparer.Ordinal)
                .Where(e => skipThrough is null || (long)e.Score < skipThrough.Score
                    || string.CompareOrdinal((string)e.Element!, skipThrough.Id) < 0)
                .ToList();
            var fresh = entries.Take(batch).ToList();
            if (fresh.Count == 0)
            {
                return new PayoutPage(items, null);
            }

            var values = await Task.WhenAll(fresh.Select(e => db.StringGetAsync(PayoutKeys.Payout((string)e.Element!))));
            for (var i = 0; i < fresh.Count; i++)
            {
                scanned++;
                last = new PayoutCursor((long)fresh[i].Score, (string)fresh[i].Element!);
                if (PayoutValue.Parse(values[i]) is not { } value)
                {
                    // Expired after its retention: the index entries of its shard go with it.
                    var shard = PayoutKeys.ShardOf((string)fresh[i].Element!);
                    await Task.WhenAll(indexes.Where(index => index.Shard == shard).Select(index => db.SortedSetRemoveAsync(index.Key, fresh[i].Element)));
                    continue;
                }

                var payout = PayoutDocument.Read(value.Doc);
                if (Matches(payout, filter))
                {
                    items.Add(payout);
                    if (items.Count == filter.Limit)
                    {
                        return new PayoutPage(items, last);
                    }
                }
            }

            if (reads.All(r => r.Length <= batch) && entries.Count <= batch)
            {
                // Every index had no more than this batch: nothing older is left.
                return new PayoutPage(items, null);
            }

            max = last!.Score;
            skipThrough = last;
        }

        return new PayoutPage(items, last);
    }

    /// <summary>
    /// The most selective index the filter allows, in every shard. With no filter on status, cause or
    /// category, a client's payouts are the union of its three status indexes (each payout is in
    /// exactly one): no index of everything is kept, which would cost every payout another entry.
    /// </summary>
    private static (int Shard, RedisKey Key)[] IndexesFor(PayoutFilter filter) =>
        [.. PayoutKeys.AllShards.SelectMany(shard =>
            filter.Cause is { } cause ? [(shard, PayoutKeys.ClientCause(shard, filter.Client, cause))]
            : filter.Category is { } category ? [(shard, PayoutKeys.ClientCategory(shard, filter.Client, category))]
            : filter.Status is { } status ? [(shard, PayoutKeys.ClientStatus(shard, filter.Client, status))]
            : Statuses.Select(s => (shard, PayoutKeys.ClientStatus(shard, filter.Client, s))))];

    private static readonly string[] Statuses = ["processing", "succeeded", "failed"];

    private static bool Matches(PayoutRecord payout, PayoutFilter filter) =>
        payout.Client == filter.Client
        && (filter.Status is null || PayoutValue.StatusWord(payout.Status) == filter.Status)
        && (filter.Cause is null || payout.Failure?.Cause == filter.Cause)
        && (filter.Category is null || payout.Failure?.Category == filter.Category)
        && (filter.Partner is null || payout.Partner == filter.Partner)
        && (filter.Since is null || payout.CreatedAt >= filter.Since);
}
