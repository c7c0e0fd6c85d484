using LoadDriver.Api;
using LoadDriver.Payouts;

namespace LoadDriver.Runs;

/// <summary>
/// Judges, while a run goes on, whether the outcomes have recovered after a fault: each submit answer that shows a
/// final payout is as its planned payout expects or not (a <c>processing</c> answer, a refusal or no answer says
/// nothing yet). Recovered after a fault's end means answers as expected over at least the evidence span of intended
/// time, with none otherwise after the first of them. Duplicates are left out: their answer is their original's.
/// The run's verdict still comes from the resolved payouts after the drain (<see cref="Checks.OutcomeVerdicts.RecoveryTime"/>);
/// this only decides how long the load must go on for that verdict to see the recovery.
/// </summary>
public sealed class RecoveryWatch
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset IntendedAt, bool AsExpected)> _outcomes = [];

    /// <summary>Notes one answer of the payout intended at <paramref name="intendedAt"/>.</summary>
    public void Answered(PlannedPayout payout, DateTimeOffset intendedAt, SubmitAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentNullException.ThrowIfNull(answer);
        if (payout.DuplicateOf is null && AsExpected(payout, answer) is { } asExpected)
        {
            lock (_gate)
            {
                _outcomes.Add((intendedAt, asExpected));
            }
        }
    }

    /// <summary>Whether <paramref name="answer"/> shows the payout ended as expected; null when it shows no final payout.</summary>
    public static bool? AsExpected(PlannedPayout payout, SubmitAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentNullException.ThrowIfNull(answer);
        return answer.IsFinal ? payout.Expected.IsMetBy(answer.PayoutStatus, answer.FailureCause, answer.Partner) : null;
    }

    /// <summary>
    /// Whether the answers for payouts intended after <paramref name="faultEnd"/> show recovery: the last one not as
    /// expected (or the fault's end, when none) is followed by answers as expected reaching at least
    /// <paramref name="evidence"/> later in intended time.
    /// </summary>
    public bool Recovered(DateTimeOffset faultEnd, TimeSpan evidence)
    {
        lock (_gate)
        {
            var lastWrong = faultEnd;
            DateTimeOffset? lastRight = null;
            foreach (var (at, asExpected) in _outcomes)
            {
                if (at < faultEnd)
                {
                    continue;
                }

                if (!asExpected && at > lastWrong)
                {
                    lastWrong = at;
                }
                else if (asExpected && (lastRight is null || at > lastRight))
                {
                    lastRight = at;
                }
            }

            return lastRight is { } right && right >= lastWrong && right - lastWrong >= evidence;
        }
    }
}
