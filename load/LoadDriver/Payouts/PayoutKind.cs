namespace LoadDriver.Payouts;

/// <summary>
/// The kinds of payout in a load mix, chosen through the simulators' magic account numbers
/// (<see cref="MagicAccounts"/>). Each kind, sent to a partner by name or routed, has a known final
/// outcome (<see cref="PayoutExpectation"/>).
/// </summary>
public enum PayoutKind
{
    /// <summary>An ordinary account: executes, <c>succeeded</c>.</summary>
    Ordinary,

    /// <summary>A magic rejection (frozen account, name mismatch, risk, region): <c>failed</c> with that cause, nothing executed.</summary>
    Reject,

    /// <summary>6299…0001: the partner executes, then answers after the attempt timeout; inquiry finds it: <c>succeeded</c>.</summary>
    Slow,

    /// <summary>6299…0002: the partner executes, then drops the connection; inquiry finds it: <c>succeeded</c>.</summary>
    Drop,

    /// <summary>The same Idempotency-Key and body as a recent payout: 200 replay or 409 in use, never a second payout.</summary>
    Duplicate,

    /// <summary>
    /// Routed (no partner named): the first partner of the routing order refuses it with a cause
    /// that allows failover and executes nothing (ycb 4001, INSUFFICIENT_FUNDS); the next partner
    /// executes it: <c>succeeded</c> there.
    /// </summary>
    Failover,
}
