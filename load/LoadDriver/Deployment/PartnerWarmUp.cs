using System.Globalization;
using System.Text.Json;
using LoadDriver.Api;
using LoadDriver.Payouts;

namespace LoadDriver.Deployment;

/// <summary>
/// Warms every partner path (the gateway's adapter, the in-process simulator) before a run: a cold
/// path's first calls can outlast the 1.5 s attempt timeout on a busy machine, and enough of those
/// at once open the partner's circuit, failing the run's first payouts with PARTNER_CIRCUIT_OPEN.
/// Per gateway instance and partner: <see cref="Sequential"/> payouts one by one (too few to open
/// a circuit, whatever they meet), then <see cref="Concurrent"/> at once. Returns the payout ids,
/// which the deployment's ledger leaves out of the run's counts.
/// </summary>
public static class PartnerWarmUp
{
    public const int Sequential = 3;
    public const int Concurrent = 6;

    public static async Task<IReadOnlySet<string>> RunAsync(IReadOnlyList<GatewayClient> clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var run = Guid.NewGuid().ToString("N")[..8];
        try
        {
            var random = new Random(7);
            foreach (var client in clients)
            {
                foreach (var partner in PartnerNames.All)
                {
                    for (var i = 0; i < Sequential; i++)
                    {
                        Add(ids, await SubmitAsync(client, run, partner, ids.Count, random, cancellationToken));
                    }

                    var batch = Enumerable.Range(0, Concurrent).Select(i => SubmitAsync(client, run, partner, ids.Count + i, random, cancellationToken)).ToList();
                    foreach (var answer in await Task.WhenAll(batch))
                    {
                        Add(ids, answer);
                    }
                }

                // Settle: every warm-up payout final, so none is still calling a partner when the run starts.
                var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
                foreach (var id in ids)
                {
                    while ((await client.GetAsync(id, cancellationToken))?.IsFinal != true && DateTimeOffset.UtcNow < deadline)
                    {
                        await Task.Delay(200, cancellationToken);
                    }
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        return ids;
    }

    private static void Add(HashSet<string> ids, SubmitAnswer answer)
    {
        if (answer.PayoutId is { } id)
        {
            ids.Add(id);
        }
    }

    private static Task<SubmitAnswer> SubmitAsync(GatewayClient client, string run, string partner, int n, Random random, CancellationToken cancellationToken)
    {
        var number = n.ToString("D4", CultureInfo.InvariantCulture);
        string account;
        lock (random)
        {
            account = MagicAccounts.Ordinary(random);
        }

        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["loanId"] = $"LN-WARMUP-{run}-{client.Instance}-{number}",
            ["amount"] = "1.00",
            ["currency"] = "CNY",
            ["partner"] = partner,
            ["beneficiary"] = new Dictionary<string, string> { ["name"] = "Load Warmup", ["accountNumber"] = account, ["bankCode"] = "ICBC" },
            ["metadata"] = new Dictionary<string, string> { ["channel"] = "load-warmup" },
        });
        return client.SubmitAsync($"warmup-{run}-{client.Instance}-{partner}-{number}", body, cancellationToken);
    }
}
