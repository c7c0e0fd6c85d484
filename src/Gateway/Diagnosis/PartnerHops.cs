using Gateway.Core;

namespace Gateway.Diagnosis;

/// <summary>What one partner's part in a final payout counts as for that partner's health.</summary>
public static class HopKind
{
    /// <summary>The partner executed the payout.</summary>
    public const string Ok = "ok";

    /// <summary>Not executed for a partner-caused reason (<see cref="FailureCause.PartnerCaused"/>).</summary>
    public const string Partner = "partner";

    /// <summary>Not executed for a business reason (account, risk, regulatory, funding, ...): the partner did its job.</summary>
    public const string Business = "business";
}

/// <summary>One partner a final payout was attempted at, and how that attempt ended for the partner's health.</summary>
public sealed record PartnerHop(string Partner, string Kind, string? Cause)
{
    /// <summary>The outcome counter field the final save increments in the minute and hour hashes: <c>h|partner|kind</c>.</summary>
    public string Field => $"h|{Partner}|{Kind}";
}

/// <summary>
/// Every partner a final payout was attempted at, in order, each with its own outcome: a hop the
/// payout failed over from counts with the cause it was refused with there (recorded on its last
/// attempt, <see cref="Attempt.Cause"/>); the final partner counts with the payout's own outcome.
/// A failed payout no partner was called for (no route) has no hop.
/// </summary>
public static class PartnerHops
{
    public static IReadOnlyList<PartnerHop> Of(PayoutRecord payout, CauseCatalogue catalogue)
    {
        var hops = new List<PartnerHop>();
        if (!payout.IsFinal)
        {
            return hops;
        }

        foreach (var attempt in payout.Attempts)
        {
            if (attempt.Cause is { } cause && attempt.Partner != payout.Partner && !hops.Exists(h => h.Partner == attempt.Partner))
            {
                hops.Add(new PartnerHop(attempt.Partner, KindOf(cause, catalogue), cause));
            }
        }

        if (payout.Status == PayoutStatus.Succeeded || payout.Attempts.Any(a => a.Partner == payout.Partner))
        {
            hops.Add(payout.Failure is { } failure
                ? new PartnerHop(payout.Partner, KindOf(failure.Cause, catalogue), failure.Cause)
                : new PartnerHop(payout.Partner, HopKind.Ok, null));
        }

        return hops;
    }

    /// <summary>A cause the catalogue lacks is diagnosed PARTNER_UNKNOWN_CODE: partner-caused.</summary>
    public static string KindOf(string cause, CauseCatalogue catalogue) =>
        !catalogue.Contains(cause) || catalogue[cause].PartnerCaused ? HopKind.Partner : HopKind.Business;
}
