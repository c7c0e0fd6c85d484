using Gateway.Storage;
using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>Whether the run may still drive the payout.</summary>
public enum LeaseState
{
    /// <summary>The run holds the payout's current fencing token.</summary>
    Held,

    /// <summary>The instance shuts down: the step in progress completes, then the payout is handed over.</summary>
    Draining,

    /// <summary>Refused by the store (a newer token, a version conflict, a final record): nothing more is sent or written.</summary>
    Fenced,
}

/// <summary>Where a run is in driving its payout; it tells what a saved or waited event means.</summary>
public enum DrivePhase
{
    Starting,

    /// <summary>Taken over: every partner that may have heard of the payout is inquired until it proves what it did.</summary>
    Recovering,

    /// <summary>One partner's answer is being resolved: send, inquire, wait.</summary>
    Driving,

    /// <summary>The hop to the next partner is being saved; the send follows it.</summary>
    FailingOver,
}

/// <summary>A partner that may have heard of the payout, and since when (its inquiry grace counts from then).</summary>
public sealed record Proof(string Partner, DateTimeOffset Since);

/// <summary>
/// Recovery in progress: the partners still to prove (the first is being inquired), the partner of
/// the latest send intent (always proved last), its answer once proved, and the inquiry interval.
/// </summary>
public sealed record RecoveryProgress(IReadOnlyList<Proof> Pending, string Latest, PartnerAnswer? LatestAnswer, TimeSpan Interval);

/// <summary>
/// Everything <see cref="PayoutDecisions.Decide"/> knows about one run driving one payout: the record
/// as the run knows it, the write-ahead intents and the partners called (facts the effects produced),
/// the deadline, the lease, the answer being resolved, and the run's polling and recovery memory.
/// It is immutable: each decision returns the next state.
/// </summary>
public sealed record PayoutState
{
    public required PayoutRecord Payout { get; init; }

    /// <summary>The fencing token the run drives the payout with.</summary>
    public long Fence { get; init; } = 1;

    public IReadOnlyList<SendIntent> Intents { get; init; } = [];

    /// <summary>Partners with a call recorded in the payout's attempts.</summary>
    public IReadOnlyCollection<string> Called { get; init; } = [];

    /// <summary>When the run hands the payout back to the reconciler if still unresolved.</summary>
    public required DateTimeOffset Deadline { get; init; }

    public LeaseState Lease { get; init; } = LeaseState.Held;

    public DrivePhase Phase { get; init; } = DrivePhase.Starting;

    /// <summary>The answer being resolved; an inquiry that could not be read keeps it.</summary>
    public PartnerAnswer? Answer { get; init; }

    /// <summary>The answer of this run's last send: the evidence if "not found" later proves nothing executed.</summary>
    public PartnerAnswer? LastSent { get; init; }

    /// <summary>Inquiries made while driving, and the current interval between them.</summary>
    public int Inquiries { get; init; }

    public TimeSpan Interval { get; init; } = DecisionContext.FirstInquiryInterval;

    public RecoveryProgress? Recovery { get; init; }

    /// <summary>Every partner the payout may have reached: the current one, every intent's, every one called.</summary>
    public IReadOnlySet<string> Tried =>
        Called.Concat(Intents.Select(i => i.Partner)).Append(Payout.Partner).ToHashSet(StringComparer.Ordinal);

    /// <summary>The state a run starts from when it takes the stored payout.</summary>
    public static PayoutState Of(StoredPayout stored, DateTimeOffset deadline) => new()
    {
        Payout = stored.Payout,
        Fence = stored.Fence,
        Intents = stored.Intents,
        Called = [.. stored.Payout.Attempts.Select(a => a.Partner).Distinct(StringComparer.Ordinal)],
        Deadline = deadline,
    };
}
