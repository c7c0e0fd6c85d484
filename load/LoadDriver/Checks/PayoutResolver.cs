using LoadDriver.Api;
using LoadDriver.Runs;

namespace LoadDriver.Checks;

/// <summary>
/// The drain: learns every sent key's payout id (resubmitting the same key and body, as a client
/// would, when no answer carried it) and polls until every payout is final or the deadline passes.
/// </summary>
public sealed class PayoutResolver(GatewayClient client, TimeProvider time)
{
    private const int Parallelism = 8;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<IReadOnlyList<ResolvedPayout>> ResolveAsync(
        IReadOnlyList<Submission> submissions, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var keys = submissions.Where(s => s.WasSent).GroupBy(s => s.Payout.Key, StringComparer.Ordinal).ToList();

        var learned = new Dictionary<string, (string? Id, List<SubmitAnswer> Retries)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                var id = group.Select(s => s.Answer?.PayoutId).FirstOrDefault(i => i is not null);
                var retries = new List<SubmitAnswer>();
                var first = group.First().Payout;
                while (id is null && time.GetUtcNow() < deadline)
                {
                    var answer = await client.SubmitAsync(first.Key, first.Body, token);
                    retries.Add(answer);
                    id = answer.HttpStatus is 200 or 201 ? answer.PayoutId : null;
                    if (id is null)
                    {
                        var wait = answer.RetryAfter is { } after && after < TimeSpan.FromSeconds(2) ? after : TimeSpan.FromSeconds(1);
                        await Task.Delay(wait, time, token);
                    }
                }

                lock (learned)
                {
                    learned[group.Key] = (id, retries);
                }
            });

        var views = new Dictionary<string, PayoutView?>(StringComparer.Ordinal);
        var pending = learned.Values.Select(l => l.Id).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        while (pending.Count > 0)
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Parallelism * 2, CancellationToken = cancellationToken },
                async (id, token) =>
                {
                    var view = await client.GetAsync(id, token);
                    lock (views)
                    {
                        // A read that failed keeps the last view.
                        views[id] = view ?? views.GetValueOrDefault(id);
                    }
                });
            pending = pending.Where(id => views[id]?.IsFinal != true).ToList();
            if (pending.Count == 0 || time.GetUtcNow() >= deadline)
            {
                break;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }

        return keys.Select(group =>
        {
            var (id, retries) = learned[group.Key];
            var first = group.OrderBy(s => s.IntendedAt ?? DateTimeOffset.MaxValue).First();
            return new ResolvedPayout(
                group.Key,
                first.Payout.OriginalKind,
                group.OrderBy(s => s.Request.Intended).Select(s => s.Answer).OfType<SubmitAnswer>().ToList(),
                retries,
                id,
                id is null ? null : views.GetValueOrDefault(id))
            {
                Expected = first.Payout.Expected,
                Label = first.Payout.Label,
                SubmittedAt = group.Min(s => s.IntendedAt),
            };
        }).ToList();
    }
}
