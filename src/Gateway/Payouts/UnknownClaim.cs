using Gateway.Storage;

namespace Gateway.Payouts;

/// <summary>What to do after a claim whose outcome is unknown (its reply timed out; the script may have committed).</summary>
public enum UnknownClaimStep
{
    /// <summary>The claim committed for this request: this instance holds the payout (token 1); execute it.</summary>
    Continue,

    /// <summary>The key holds a final payout with this body: replay it.</summary>
    Replay,

    /// <summary>The key holds a processing payout that someone else drives: 409, retry later.</summary>
    InFlight,

    /// <summary>The key holds another body: 422.</summary>
    Mismatch,

    /// <summary>Nothing readable proves either way (the write may still land): 503, outcome unknown, retry with the same key.</summary>
    OutcomeUnknown,
}

/// <summary>
/// The honest answer to a claim that timed out (payout-api.md: a 503 never claims more than the
/// gateway knows). A pure decision over one read of the record after the timeout: a record with
/// this request's fingerprint and claim id, processing, version 1 and this instance's lease with
/// token 1 is this request's own claim, so the execution goes on (a duplicate sent at the same time
/// to the same instance has the same lease value but not the same claim id: 409); a record that is not ours answers what it
/// is; no record, or no read, is "outcome unknown" — never "not sent", since a timed-out script
/// may still commit, after which the reconciler sends it.
/// </summary>
public static class UnknownClaim
{
    /// <param name="ownClaim">The claim id this request gave its payout (<see cref="PayoutRecord.Claim"/>): with the same key and
    /// body, a concurrent request on the same instance holds the same lease value, and only the claim id tells the claims apart.</param>
    public static UnknownClaimStep Decide(bool readable, StoredPayout? stored, string? leaseHolder, string fingerprint, string ownLease,
        string ownClaim)
    {
        if (!readable || stored is null)
        {
            return UnknownClaimStep.OutcomeUnknown;
        }

        if (stored.Fingerprint is { } fp && fp != fingerprint)
        {
            return UnknownClaimStep.Mismatch;
        }

        if (stored.Payout.IsFinal)
        {
            return UnknownClaimStep.Replay;
        }

        return stored.Fingerprint == fingerprint && stored.Version == 1 && stored.Fence == 1 && leaseHolder == ownLease
            && string.Equals(stored.Payout.Claim, ownClaim, StringComparison.Ordinal)
            ? UnknownClaimStep.Continue
            : UnknownClaimStep.InFlight;
    }
}
