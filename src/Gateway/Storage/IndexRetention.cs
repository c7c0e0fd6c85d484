using Gateway.Auth;
using Gateway.Diagnosis;
using Gateway.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Gateway.Core;

namespace Gateway.Storage;

/// <summary>
/// Keeps the list indexes from outgrowing the payouts they point at: once an hour it drops
/// entries created longer ago than the retention plus a week (a final payout's record is gone
/// by then). Entries of payouts still processing are never dropped. The key set is finite and
/// known: shards × configured clients × statuses, causes and categories.
/// </summary>
public sealed class IndexRetention(
    StateDatabase state,
    CauseCatalogue causes,
    IOptions<ApiKeyOptions> clients,
    IOptions<PayoutsOptions> options,
    TimeProvider time,
    ILogger<IndexRetention> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await new BackgroundLoop("index-retention", Interval, Interval, RunFirstAtOnce: true).RunAsync(async _ =>
        {
            var removed = await TrimAsync();
            StateLog.IndexesTrimmed(log, removed);
        }, time, log, stoppingToken);
    }

    public async Task<long> TrimAsync()
    {
        var cutoff = (time.GetUtcNow() - options.Value.RetentionAfterFinal - TimeSpan.FromDays(7)).ToUnixTimeMilliseconds();
        var db = state.Db;
        var keys = PayoutKeys.AllShards.SelectMany(shard => clients.Value.ApiKeys.Keys.SelectMany(client => new[]
            {
                PayoutKeys.ClientStatus(shard, client, "succeeded"),
                PayoutKeys.ClientStatus(shard, client, "failed"),
            }
            .Concat(causes.All.Select(c => PayoutKeys.ClientCause(shard, client, c.Name)))
            .Concat(CauseCatalogue.Categories.Select(c => PayoutKeys.ClientCategory(shard, client, c)))));
        var removed = await Task.WhenAll(keys.Select(k => db.SortedSetRemoveRangeByScoreAsync(k, double.NegativeInfinity, cutoff)));
        return removed.Sum();
    }
}

internal static partial class StateLog
{
    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "List indexes trimmed: {Removed} entries past retention")]
    public static partial void IndexesTrimmed(ILogger logger, long removed);
}
