using System.Globalization;
using System.Text.Json;

namespace LoadDriver.Payouts;

/// <summary>
/// Plans the requests of a phase from a seed, so the same seed gives the same payouts. Keys are
/// unique per run (<paramref name="runId"/>); ordinary payouts go to fresh account numbers, so an
/// explicit simulator behaviour set on one (the chaos suite does) touches only that payout. A
/// duplicate repeats a non-duplicate among the last <paramref name="duplicateReach"/> requests (default 20);
/// with 1, the latest non-duplicate payout. Each payout carries its <see cref="PlannedPayout.Expected"/>
/// outcome: a routed one is decided by the first partner of <paramref name="routingOrder"/> (default
/// ycb, prb, silkpay), a failover by the second.
/// </summary>
public sealed class PayoutPlanner(string runId, PayoutMix mix, int seed, int duplicateReach = PayoutPlanner.DefaultDuplicateReach,
    IReadOnlyList<string>? routingOrder = null)
{
    public const int DefaultDuplicateReach = 20;

    private readonly IReadOnlyList<string> _routing = routingOrder ?? PartnerNames.DefaultRoutingOrder;

    public IReadOnlyList<PlannedPayout> Plan(string phase, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(unchecked((seed * 397) ^ phase.Aggregate(17, (hash, c) => (hash * 31) + c)));
        var planned = new List<PlannedPayout>(count);
        var reach = Math.Max(1, duplicateReach);
        for (var i = 0; i < count; i++)
        {
            var entry = mix.EntryAt(random.Next(mix.Total));
            var kind = entry.Kind;
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

            var (account, expected) = Choose(kind, entry.Partner, random);
            var cents = random.Next(10_000, 5_000_000);
            var amount = (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
            var key = $"load-{runId}-{phase}-{i.ToString("D6", CultureInfo.InvariantCulture)}";
            var request = new Dictionary<string, object>
            {
                ["loanId"] = $"LN-LOAD-{phase}-{i.ToString("D6", CultureInfo.InvariantCulture)}",
                ["amount"] = amount,
                ["currency"] = "CNY",
                ["beneficiary"] = new Dictionary<string, string> { ["name"] = "Load Test", ["accountNumber"] = account, ["bankCode"] = "ICBC" },
                ["metadata"] = new Dictionary<string, string> { ["channel"] = "load", ["kind"] = entry.Label },
            };
            if (entry.Partner is not null)
            {
                request["partner"] = entry.Partner;
            }

            var body = JsonSerializer.Serialize(request);
            planned.Add(new PlannedPayout(phase, i, kind, kind, key, account, amount, body, null) { Partner = entry.Partner, Expected = expected });
        }

        return planned;
    }

    /// <summary>The account of a payout of <paramref name="kind"/> to <paramref name="partner"/> (null: routed), and how it ends.</summary>
    private (string Account, PayoutExpectation Expected) Choose(PayoutKind kind, string? partner, Random random)
    {
        var decides = partner ?? _routing[0];
        switch (kind)
        {
            case PayoutKind.Reject:
                var rejections = MagicAccounts.Rejections[decides];
                var (digits, cause) = rejections[random.Next(rejections.Count)];
                return (MagicAccounts.WithDigits(digits), PayoutExpectation.FailedWith(cause, decides));
            case PayoutKind.Slow:
                return (MagicAccounts.Slow, PayoutExpectation.SucceededAt(decides));
            case PayoutKind.Drop:
                return (MagicAccounts.Drop, PayoutExpectation.SucceededAt(decides));
            case PayoutKind.Failover:
                // Refused by the first partner with a failover cause, executed by the next.
                return (MagicAccounts.Failover, PayoutExpectation.SucceededAt(_routing.Count > 1 ? _routing[1] : null));
            default:
                return (MagicAccounts.Ordinary(random), PayoutExpectation.SucceededAt(decides));
        }
    }
}
