namespace Gateway.Diagnosis;

/// <summary>One row of the taxonomy in failure-causes.md, as loaded from <c>causes.json</c>.</summary>
public sealed record FailureCause
{
    public required string Name { get; init; }
    public required string Category { get; init; }
    public required string Owner { get; init; }
    public required string Resubmit { get; init; }

    /// <summary>
    /// Whether a routed payout that ends in this cause at one partner may go to the next partner
    /// of Routing:Order: true only where the partner, not the borrower or a risk or compliance
    /// decision, was the obstacle. Another partner never re-decides a risk or regulatory refusal.
    /// </summary>
    public bool Failover { get; init; }
    public IReadOnlyList<string> IsoReasons { get; init; } = [];
    public required string Meaning { get; init; }
    public string? Action { get; init; }
    public required IReadOnlyDictionary<string, string> BorrowerMessage { get; init; }

    /// <summary>
    /// Whether this outcome counts against the partner's health (failure-causes.md): the partner
    /// categories (<c>partner_connectivity</c>, <c>partner_integration</c>) and every cause the
    /// partner bank must act on (owner <c>partner_ops</c>: maintenance, downstream clearing,
    /// its funding quota, a decline without a usable reason). Everything else — beneficiary
    /// account, risk, borrower, limits, regulatory, funding, request, no route — is a business
    /// outcome: the partner answered correctly.
    /// </summary>
    public bool PartnerCaused => Category is "partner_connectivity" or "partner_integration" || Owner == "partner_ops";
}

/// <summary>Cause names the gateway itself produces; everything else comes from partner code tables.</summary>
public static class Causes
{
    public const string PartnerTimeout = "PARTNER_TIMEOUT";
    public const string PartnerUnavailable = "PARTNER_UNAVAILABLE";
    public const string PartnerCircuitOpen = "PARTNER_CIRCUIT_OPEN";
    public const string PartnerRateLimited = "PARTNER_RATE_LIMITED";
    public const string PartnerMalformedResponse = "PARTNER_MALFORMED_RESPONSE";
    public const string PartnerUnknownCode = "PARTNER_UNKNOWN_CODE";
    public const string PartnerUnspecified = "PARTNER_UNSPECIFIED";
    public const string NoRoute = "NO_ROUTE";
    public const string DuplicatePayout = "DUPLICATE_PAYOUT";
    public const string PartnerMaintenance = "PARTNER_MAINTENANCE";
}
