using System.Globalization;
using System.Text.Json;

namespace LoadDriver.Payouts;

/// <summary>
/// Plans the requests of a phase from a seed, so the same seed gives the same payouts. Keys are
/// unique per run (<paramref name="runId"/>); ordinary payouts go to fresh account numbers, so an
/// explicit simulator behaviour set on one (the chaos suite does) touches only that payout. A
/// duplicate repeats a non-duplicate among the last <paramref name="duplicateReach"/> requests (default 20);
/// with 1, the latest non-duplicate payout.
/// </summary>
public sealed class PayoutPlanner(string runId, PayoutMix mix, int seed, int duplicateReach = PayoutPlanner.DefaultDuplicateReach)
{
    public const int DefaultDuplicateReach = 20;

    /// <summary>Magic rejections of the ycb simulator (last four digits): frozen, name mismatch, risk, region.</summary>
    private static readonly string[] Rejections = ["1003", "1004", "2001", "3001"];

    public IReadOnlyList<PlannedPayout> Plan(string phase, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(unchecked((seed * 397) ^ phase.Aggregate(17, (hash, c) => (hash * 31) + c)));
        var planned = new List<PlannedPayout>(count);
        var reach = Math.Max(1, duplicateReach);
        for (var i = 0; i < count; i++)
        {
            var kind = mix.KindAt(random.Next(mix.Total));
            List<PlannedPayout> originals = reach == 1
                ? [.. planned.LastOrDefault(p => p.Kind != PayoutKind.Duplicate) is { } latest ? [latest] : Array.Empty<PlannedPayout>()]
                : planned.Skip(Math.Max(0, planned.Count - reach)).Where(p => p.Kind != PayoutKind.Duplicate).ToList();
            if (kind == PayoutKind.Duplicate && originals.Count > 0)
            {
                var original = originals[random.Next(originals.Count)];
                planned.Add(original with { Index = i, Kind = PayoutKind.Duplicate, DuplicateOf = original.Index });
                continue;
            }

            if (kind == PayoutKind.Duplicate)
            {
                kind = PayoutKind.Ordinary;
            }

            var account = kind switch
            {
                PayoutKind.Reject => "62990000000000" + Rejections[random.Next(Rejections.Length)],
                PayoutKind.Slow => "629900000000000001",
                PayoutKind.Drop => "629900000000000002",
                _ => "6222" + random.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(CultureInfo.InvariantCulture),
            };
            var cents = random.Next(10_000, 5_000_000);
            var amount = (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
            var key = $"load-{runId}-{phase}-{i.ToString("D6", CultureInfo.InvariantCulture)}";
            var body = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["loanId"] = $"LN-LOAD-{phase}-{i.ToString("D6", CultureInfo.InvariantCulture)}",
                ["amount"] = amount,
                ["currency"] = "CNY",
                ["beneficiary"] = new Dictionary<string, string> { ["name"] = "Load Test", ["accountNumber"] = account, ["bankCode"] = "ICBC" },
                ["metadata"] = new Dictionary<string, string> { ["channel"] = "load", ["kind"] = kind.ToString() },
            });
            planned.Add(new PlannedPayout(phase, i, kind, kind, key, account, amount, body, null));
        }

        return planned;
    }
}
