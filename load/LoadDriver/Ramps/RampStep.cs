using LoadDriver.Api;
using LoadDriver.Payouts;
using LoadDriver.Recording;
using LoadDriver.Runs;
using LoadDriver.Scheduling;

namespace LoadDriver.Ramps;

/// <summary>
/// The figures of one finished step, all the ramp decides on. Latencies run from each request's
/// intended send time; <see cref="P50"/>, <see cref="P99"/> and <see cref="P999"/> cover every
/// answered payout except the slow kind, <see cref="P99AllKinds"/> every answered payout.
/// </summary>
public sealed record RampStep(
    int Number,
    double TargetRate,
    double AchievedRate,
    int Planned,
    int Sent,
    int NotSentInTime,
    int Unanswered,
    int Errors,
    int NonSuccess,
    TimeSpan P50,
    TimeSpan P99,
    TimeSpan P999,
    TimeSpan P99AllKinds)
{
    /// <summary>Share (percent) of the planned requests not sent in time or sent and never answered.</summary>
    public double LatePercent => Planned == 0 ? 0 : 100.0 * (NotSentInTime + Unanswered) / Planned;

    /// <summary>Share (percent) of the sent requests answered with no HTTP answer, a 5xx or a 429.</summary>
    public double ErrorPercent => Sent == 0 ? 0 : 100.0 * Errors / Sent;
}

/// <summary>Takes a step's figures from what its requests got.</summary>
public static class RampStepMeasure
{
    /// <summary>
    /// The figures of step <paramref name="number"/> at <paramref name="targetRate"/>:
    /// <paramref name="submissions"/> are its planned payouts with their requests, in order;
    /// <paramref name="achievedRate"/> as the scheduler computed it.
    /// </summary>
    public static RampStep From(int number, double targetRate, double achievedRate, IReadOnlyList<Submission> submissions)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        var basis = new LatencyHistogram();
        var all = new LatencyHistogram();
        foreach (var s in submissions.Where(s => s.Request.Fate == RequestFate.Completed && s.Request.Latency is not null))
        {
            all.Record(s.Request.Latency!.Value);
            if (s.Payout.Kind != PayoutKind.Slow)
            {
                basis.Record(s.Request.Latency!.Value);
            }
        }

        var answers = submissions.Where(s => s.Request.Fate == RequestFate.Completed).Select(s => s.Answer).OfType<SubmitAnswer>().ToList();
        return new RampStep(
            number,
            targetRate,
            achievedRate,
            submissions.Count,
            submissions.Count(s => s.WasSent),
            submissions.Count(s => s.Request.Fate == RequestFate.NotSentInTime),
            submissions.Count(s => s.Request.Fate == RequestFate.Unfinished),
            answers.Count(a => a.HttpStatus is null or >= 500 or 429),
            answers.Count(a => a.HttpStatus is not (>= 200 and < 300)),
            basis.AtPercentile(50),
            basis.AtPercentile(99),
            basis.AtPercentile(99.9),
            all.AtPercentile(99));
    }
}
