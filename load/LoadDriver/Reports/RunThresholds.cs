using System.Globalization;
using LoadDriver.Payouts;
using LoadDriver.Runs;

namespace LoadDriver.Reports;

/// <summary>
/// Optional limits a run must hold, beside the correctness checks; a broken one fails the run.
/// <see cref="MaxP99"/>: the steady phase's POST p99, from each request's intended send time.
/// <see cref="MinSuccessPercent"/>: of the final payouts of the kinds expected to succeed
/// (<see cref="ExpectedToSucceed"/>), the share that succeeded.
/// </summary>
public sealed record RunThresholds(TimeSpan? MaxP99 = null, double? MinSuccessPercent = null)
{
    /// <summary>The kinds that end <c>succeeded</c> when nothing is broken; rejects fail by design, duplicates are not payouts of their own.</summary>
    public static readonly IReadOnlyList<PayoutKind> ExpectedToSucceed = [PayoutKind.Ordinary, PayoutKind.Slow, PayoutKind.Drop];

    public const string P99Name = "steady POST p99";
    public const string SuccessName = "success rate";

    public static RunThresholds None { get; } = new();

    public bool Any => MaxP99 is not null || MinSuccessPercent is not null;

    /// <summary>One result per threshold given, in the order p99, success.</summary>
    public IReadOnlyList<ThresholdResult> Evaluate(LoadRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var results = new List<ThresholdResult>();
        if (MaxP99 is { } maxP99)
        {
            var p99 = result.Steady.Latency.AtPercentile(99);
            results.Add(new ThresholdResult(P99Name, Invariant($"≤ {maxP99.TotalMilliseconds:0.#} ms"), Invariant($"{p99.TotalMilliseconds:0.0} ms"),
                p99 <= maxP99));
        }

        if (MinSuccessPercent is { } minSuccess)
        {
            var expected = result.Payouts.Where(p => ExpectedToSucceed.Contains(p.Kind)).ToList();
            var succeeded = expected.Count(p => p.Payout?.Status == "succeeded");
            var percent = SuccessPercent(succeeded, expected.Count);
            results.Add(new ThresholdResult(SuccessName, Invariant($"≥ {minSuccess:0.##} % of ordinary, slow and drop payouts succeeded"),
                Invariant($"{percent:0.##} % ({succeeded} of {expected.Count})"), percent >= minSuccess));
        }

        return results;
    }

    /// <summary>Succeeded over all; 100 % when there are none.</summary>
    public static double SuccessPercent(int succeeded, int all) => all == 0 ? 100 : succeeded * 100.0 / all;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One threshold: its name, the limit and the measured figure as text, and whether it held.</summary>
public sealed record ThresholdResult(string Name, string Limit, string Actual, bool Held);
