using LoadDriver.Api;
using LoadDriver.Payouts;
using LoadDriver.Scheduling;

namespace LoadDriver.Runs;

/// <summary>A planned payout, the gateway instance it was routed to (0-based) and what became of its request.</summary>
public sealed record Submission(PlannedPayout Payout, ScheduledRequest<SubmitAnswer> Request, int Instance = 0)
{
    public SubmitAnswer? Answer => Request.Result;

    public bool WasSent => Request.Fate != RequestFate.NotSentInTime;

    /// <summary>When its phase started on the wall clock; null when not recorded.</summary>
    public DateTimeOffset? PhaseStartedAt { get; init; }

    /// <summary>Its intended send time on the wall clock (phase start + <see cref="ScheduledRequest{T}.Intended"/>); null when the phase start is unknown.</summary>
    public DateTimeOffset? IntendedAt => PhaseStartedAt + Request.Intended;
}
