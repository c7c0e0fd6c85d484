using Gateway.Core;

namespace Gateway.Diagnosis;

/// <summary>
/// What on-call needs next to one payout (only in <c>/v1/diagnostics</c> answers, never in a
/// client's): who acts on its failure and what to do (causes.json <c>owner</c> and <c>action</c>),
/// and every partner it was attempted at with what that hop counts as for the partner's health.
/// </summary>
public sealed record OnCallAdvice
{
    /// <summary>Who must act (failure-causes.md owners); null while the payout has not failed.</summary>
    public string? Owner { get; init; }

    /// <summary>The cause's on-call action text; null while the payout has not failed or the cause has none.</summary>
    public string? Action { get; init; }

    public string? Resubmit { get; init; }

    public required IReadOnlyList<PartnerHop> Hops { get; init; }

    public static OnCallAdvice For(PayoutRecord payout, CauseCatalogue catalogue)
    {
        var failure = payout.Failure;
        var cause = failure is not null && catalogue.Contains(failure.Cause) ? catalogue[failure.Cause] : null;
        return new OnCallAdvice
        {
            Owner = failure?.Owner,
            Action = cause?.Action,
            Resubmit = failure?.Resubmit,
            Hops = PartnerHops.Of(payout, catalogue),
        };
    }
}
