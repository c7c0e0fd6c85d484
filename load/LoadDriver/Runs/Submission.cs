using LoadDriver.Api;
using LoadDriver.Payouts;
using LoadDriver.Scheduling;

namespace LoadDriver.Runs;

/// <summary>A planned payout and what became of its request.</summary>
public sealed record Submission(PlannedPayout Payout, ScheduledRequest<SubmitAnswer> Request)
{
    public SubmitAnswer? Answer => Request.Result;

    public bool WasSent => Request.Fate != RequestFate.NotSentInTime;
}
