namespace LoadDriver.Payouts;

/// <summary>The kinds of payout in a load mix, chosen through the ycb simulator's magic account numbers.</summary>
public enum PayoutKind
{
    /// <summary>An ordinary account: executes, <c>succeeded</c>.</summary>
    Ordinary,

    /// <summary>A magic rejection (frozen account, name mismatch, risk, region): <c>failed</c>, nothing executed.</summary>
    Reject,

    /// <summary>6299…0001: the bank executes, then answers after the attempt timeout; inquiry finds it: <c>succeeded</c>.</summary>
    Slow,

    /// <summary>6299…0002: the bank executes, then drops the connection; inquiry finds it: <c>succeeded</c>.</summary>
    Drop,

    /// <summary>The same Idempotency-Key and body as a recent payout: 200 replay or 409 in use, never a second payout.</summary>
    Duplicate,
}
