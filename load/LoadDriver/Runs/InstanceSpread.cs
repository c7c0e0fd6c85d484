using LoadDriver.Payouts;
using LoadDriver.Scheduling;

namespace LoadDriver.Runs;

/// <summary>One gateway instance's share of a run's requests.</summary>
public sealed record InstanceShare(int Instance, int Routed, int Sent, int Answered, int ServerErrors);

/// <summary>
/// How a run's requests were spread over the gateway instances, and how its duplicates met their
/// originals: on another instance, and while the original was still unanswered (concurrently).
/// </summary>
public sealed record InstanceSpread(
    IReadOnlyList<InstanceShare> Shares,
    int Duplicates,
    int DuplicatesOnOtherInstance,
    int DuplicatesConcurrentOnOtherInstance)
{
    public static InstanceSpread From(IReadOnlyList<Submission> submissions)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        var count = submissions.Count == 0 ? 1 : submissions.Max(s => s.Instance) + 1;
        var shares = Enumerable.Range(0, count).Select(i =>
        {
            var mine = submissions.Where(s => s.Instance == i).ToList();
            return new InstanceShare(i, mine.Count, mine.Count(s => s.WasSent), mine.Count(s => s.Answer?.HttpStatus is not null),
                mine.Count(s => s.Answer?.IsServerError == true));
        }).ToList();

        var byPosition = submissions.ToDictionary(s => (s.Payout.Phase, s.Payout.Index));
        var pairs = submissions
            .Where(s => s.Payout.Kind == PayoutKind.Duplicate && s.Payout.DuplicateOf is not null)
            .Select(s => (Duplicate: s, Original: byPosition[(s.Payout.Phase, s.Payout.DuplicateOf!.Value)]))
            .ToList();
        var elsewhere = pairs.Where(p => p.Duplicate.Instance != p.Original.Instance).ToList();
        return new InstanceSpread(shares, pairs.Count, elsewhere.Count, elsewhere.Count(p => Overlapped(p.Duplicate.Request, p.Original.Request)));
    }

    /// <summary>The duplicate was sent before the original's answer had come (both times on the phase's clock).</summary>
    private static bool Overlapped<T>(ScheduledRequest<T> duplicate, ScheduledRequest<T> original) =>
        duplicate.Sent is { } sent && original.Sent is not null && (original.Finished is not { } finished || sent < finished);
}
