using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>What happened since the last decision: the result of the step performed.</summary>
public abstract record PayoutEvent;

/// <summary>The run begins: a new payout is sent, a payout taken over is first inquired.</summary>
public sealed record Started(ExecutionStart Start) : PayoutEvent;

/// <summary>The disbursement to <paramref name="Partner"/> was sent (after its fenced intent) and answered so.</summary>
public sealed record Sent(string Partner, PartnerAnswer Answer) : PayoutEvent;

/// <summary>
/// A status inquiry at <paramref name="Partner"/>, asked at <paramref name="AskedAt"/>, answered so. A
/// "not found" is judged against the grace when it was asked, however late the answer arrived.
/// </summary>
public sealed record Inquired(string Partner, PartnerAnswer Answer, DateTimeOffset AskedAt) : PayoutEvent;

/// <summary>Progress was saved (fenced); <paramref name="Current"/> is the stored record, final if someone finished it.</summary>
public sealed record Saved(PayoutRecord Current) : PayoutEvent;

/// <summary>The wait ended.</summary>
public sealed record Waited : PayoutEvent;

/// <summary>The wait was cut short because the instance shuts down.</summary>
public sealed record Drained : PayoutEvent;

/// <summary>
/// The store refused a fenced write or send intent: another instance holds a newer token, a version
/// moved, the payout is final (<paramref name="Final"/>), or the intent could not be recorded in time.
/// </summary>
public sealed record Refused(string Reason, long CurrentFence, bool Release, PayoutRecord? Final = null) : PayoutEvent;
