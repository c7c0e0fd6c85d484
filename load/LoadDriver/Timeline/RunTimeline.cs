using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace LoadDriver.Timeline;

/// <summary>
/// A run on a time axis of whole seconds since its start (the warm-up's start): one
/// <see cref="TimelineSecond"/> per second in which requests were due, the fault windows and the
/// breaker states as spans of that axis, and where the steady phase began. Built by
/// <see cref="Build"/>, a pure function of the run's result, the breaker samples and the windows.
/// </summary>
public sealed record RunTimeline(
    DateTimeOffset Start,
    IReadOnlyList<TimelineSecond> Seconds,
    double SteadyStartsAt,
    double Length,
    IReadOnlyList<TimelineWindow> Windows,
    IReadOnlyList<BreakerSpan> Breakers,
    string? BreakerNote,
    IReadOnlyList<string> FailureCauses)
{
    /// <summary>The cause shown for a failed payout without <c>failure.cause</c>.</summary>
    public const string UnknownCause = "unknown";

    /// <summary>
    /// Buckets every submission by the second it was due (its intended send time): sent, not sent,
    /// answers by HTTP status class, latency percentiles (from the intended time) of the requests
    /// due in it; answers that arrived in it; and every payout's final outcome in the second its key
    /// was first due. Windows and breaker samples become spans of seconds since <see cref="LoadRunResult.StartedAt"/>.
    /// </summary>
    public static RunTimeline Build(LoadRunResult result, BreakerRecord? breakers, IReadOnlyList<ShadedWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(windows);
        var start = result.StartedAt;
        var timed = result.Submissions
            .Select(s => (Submission: s, PhaseStart: s.PhaseStartedAt ?? (s.Payout.Phase == LoadRun.WarmupPhase ? result.StartedAt : result.SteadyStartedAt)))
            .Select(t => (t.Submission, Due: Offset(t.PhaseStart + t.Submission.Request.Intended - start), t.PhaseStart))
            .ToList();

        var firstDue = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (submission, due, _) in timed)
        {
            if (!firstDue.TryGetValue(submission.Payout.Key, out var seen) || due < seen)
            {
                firstDue[submission.Payout.Key] = due;
            }
        }

        var answeredAt = timed
            .Where(t => t.Submission.Request is { Fate: RequestFate.Completed, Finished: not null } && t.Submission.Answer?.HttpStatus is not null)
            .Select(t => Second(Offset(t.PhaseStart + t.Submission.Request.Finished!.Value - start)))
            .ToList();
        var outcomes = result.Payouts
            .Where(p => firstDue.ContainsKey(p.Key))
            .Select(p => (Second: Second(firstDue[p.Key]), p.Payout?.Status, Cause: p.Payout?.FailureCause ?? UnknownCause))
            .ToList();

        var last = timed.Count == 0 ? -1 : timed.Max(t => Second(t.Due));
        var seconds = new List<TimelineSecond>();
        var byDue = timed.ToLookup(t => Second(t.Due));
        var answeredBySecond = answeredAt.CountBy(s => s).ToDictionary();
        var outcomesBySecond = outcomes.ToLookup(o => o.Second);
        for (var second = 0; second <= last; second++)
        {
            var due = byDue[second].Select(t => t.Submission).ToList();
            var latencies = due.Where(s => s.Request.Fate == RequestFate.Completed && s.Request.Latency is not null)
                .Select(s => s.Request.Latency!.Value).Order().ToList();
            var finals = outcomesBySecond[second].ToList();
            seconds.Add(new TimelineSecond(
                second,
                due.Count,
                due.Count(s => s.WasSent),
                due.Count(s => s.Request.Fate == RequestFate.NotSentInTime),
                answeredBySecond.GetValueOrDefault(second),
                due.Count(s => Class(s) == 2),
                due.Count(s => Class(s) == 4),
                due.Count(s => Class(s) == 5),
                due.Count(s => s.Request.Fate == RequestFate.Completed && s.Answer?.HttpStatus is null),
                due.Count(s => s.Request.Fate == RequestFate.Unfinished),
                latencies.Count == 0 ? null : new LatencyPoint(At(latencies, 50), At(latencies, 90), At(latencies, 99), latencies[^1]),
                finals.Count(o => o.Status == "succeeded"),
                finals.Where(o => o.Status == "failed").GroupBy(o => o.Cause).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new CauseCount(g.Key, g.Count())).ToList(),
                finals.Count(o => o.Status is not ("succeeded" or "failed"))));
        }

        var spans = windows.Select(w => new TimelineWindow(w.Name, Offset(w.From - start), Offset(w.To - start))).ToList();
        var bands = breakers is null ? [] : Spans(breakers, start);
        var length = new[] { last + 1.0 }.Concat(spans.Select(w => w.To)).Concat(bands.Select(b => b.To)).Max();
        var causes = outcomes.Where(o => o.Status == "failed").Select(o => o.Cause).Distinct().Order(StringComparer.Ordinal).ToList();
        var note = breakers is null ? "breaker states were not sampled" : breakers.Note;
        return new RunTimeline(start, seconds, Offset(result.SteadyStartedAt - start), Math.Ceiling(length), spans, bands, note, causes);
    }

    /// <summary>
    /// Each partner's samples as spans: a sample holds until the next poll (whatever it read), or for
    /// one interval after the last poll; a failed poll starts a gap. Adjacent spans of one state merge;
    /// what was polled before the run's start is cut off there.
    /// </summary>
    internal static List<BreakerSpan> Spans(BreakerRecord record, DateTimeOffset start)
    {
        var polls = record.Samples.Select(s => s.At).Concat(record.FailedPolls).Distinct().Order().ToList();
        var spans = new List<BreakerSpan>();
        foreach (var partner in record.Samples.GroupBy(s => s.Partner).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            BreakerSpan? open = null;
            foreach (var sample in partner.OrderBy(s => s.At))
            {
                var next = polls.FirstOrDefault(p => p > sample.At, sample.At + record.Interval);
                var span = new BreakerSpan(partner.Key, sample.State, Math.Max(0, Offset(sample.At - start)), Offset(next - start));
                if (span.To <= 0)
                {
                    continue; // polled before the run started
                }

                if (open is not null && open.State == span.State && Math.Abs(open.To - span.From) < 1e-9)
                {
                    open = open with { To = span.To };
                    continue;
                }

                if (open is not null)
                {
                    spans.Add(open);
                }

                open = span;
            }

            if (open is not null)
            {
                spans.Add(open);
            }
        }

        return spans;
    }

    private static int Class(Submission submission) =>
        submission.Request.Fate == RequestFate.Completed && submission.Answer?.HttpStatus is { } status ? status / 100 : 0;

    /// <summary>Nearest rank: the smallest value with at least <paramref name="percentile"/> % of the values at or below it.</summary>
    internal static TimeSpan At(IReadOnlyList<TimeSpan> sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Offset(TimeSpan offset) => offset.TotalSeconds;

    private static int Second(double seconds) => Math.Max(0, (int)Math.Floor(seconds));
}

/// <summary>
/// One second of the run. <see cref="Due"/>, <see cref="Sent"/>, <see cref="NotSent"/>, the answer
/// classes and <see cref="Latency"/> are about the requests due in this second (intended send time);
/// <see cref="Answered"/> counts HTTP answers that arrived in it; <see cref="Succeeded"/>,
/// <see cref="Failed"/> and <see cref="NotFinal"/> are the final outcomes of the payouts whose key
/// was first due in it.
/// </summary>
public sealed record TimelineSecond(
    int Second,
    int Due,
    int Sent,
    int NotSent,
    int Answered,
    int Status2xx,
    int Status4xx,
    int Status5xx,
    int NoAnswer,
    int Unfinished,
    LatencyPoint? Latency,
    int Succeeded,
    IReadOnlyList<CauseCount> Failed,
    int NotFinal)
{
    public int FailedCount => Failed.Sum(f => f.Count);
}

/// <summary>Latency percentiles (nearest rank) of the requests due in one second, from their intended send time.</summary>
public sealed record LatencyPoint(TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max);

/// <summary>How many payouts failed with one <c>failure.cause</c>.</summary>
public sealed record CauseCount(string Cause, int Count);

/// <summary>A fault window in seconds since the run's start.</summary>
public sealed record TimelineWindow(string Name, double From, double To);

/// <summary>One partner's circuit in one <see cref="State"/> (closed, half_open, open) from <see cref="From"/> to <see cref="To"/> seconds since the run's start.</summary>
public sealed record BreakerSpan(string Partner, string State, double From, double To);
