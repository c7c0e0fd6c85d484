using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>What the executor does next; <see cref="PayoutDecisions.Decide"/> chooses it.</summary>
public abstract record NextStep
{
    /// <summary>True when the run ends with this step.</summary>
    public virtual bool Ends => false;
}

/// <summary>Record a fenced send intent for <paramref name="Partner"/>, then send the disbursement there.</summary>
public sealed record Send(string Partner) : NextStep;

/// <summary>Ask <paramref name="Partner"/> what it did with the payout's reference.</summary>
public sealed record Inquire(string Partner) : NextStep;

/// <summary>Save the run's progress (fenced) before waiting.</summary>
public sealed record Save : NextStep;

/// <summary>Wait until <paramref name="Until"/>; <paramref name="Drainable"/> waits end at once on shutdown.</summary>
public sealed record Wait(DateTimeOffset Until, bool Drainable) : NextStep;

/// <summary>The routed payout definitely did not execute at <paramref name="From"/>: save the hop to <paramref name="To"/>.</summary>
public sealed record FailOver(string From, string To, string Cause) : NextStep;

/// <summary>The payout ends <paramref name="Status"/>, on the evidence of <paramref name="Answer"/>.</summary>
public sealed record Finish(PayoutStatus Status, PartnerAnswer Answer) : NextStep
{
    public override bool Ends => true;
}

/// <summary>The stored record is final already (another writer finished it): it is the result.</summary>
public sealed record Settled(PayoutRecord Final) : NextStep
{
    public override bool Ends => true;
}

/// <summary>Still unresolved at the deadline: the reconciler checks again later, with a backoff.</summary>
public sealed record HandBack : NextStep
{
    public override bool Ends => true;
}

/// <summary>Shutting down with the payout not final: leave it due now and release the lease.</summary>
public sealed record HandOver : NextStep
{
    public override bool Ends => true;
}

/// <summary>This run may not go on: no partner call, no write; release the lease only when <paramref name="Release"/>.</summary>
public sealed record StopRun(string Reason, long CurrentFence, bool Release) : NextStep
{
    public override bool Ends => true;
}

/// <summary>A decision: the run's next state and the step to perform.</summary>
public sealed record Decision(PayoutState State, NextStep Step);
