using System.Diagnostics.CodeAnalysis;
using Gateway.Diagnosis;
using Gateway.Payouts;

namespace Gateway.Ops;

/// <summary>
/// A payout as on-call sees it on <c>/v1/diagnostics</c>: the client's masked view plus who acts, what
/// to do and the partner hops. A type of its own, so the client API's payout schema has no on-call field.
/// </summary>
public sealed record OnCallPayoutResource : PayoutResource
{
    [SetsRequiredMembers]
    public OnCallPayoutResource(PayoutResource payout, OnCallAdvice onCall)
        : base(payout)
    {
        OnCall = onCall;
    }

    public OnCallAdvice OnCall { get; init; }
}
