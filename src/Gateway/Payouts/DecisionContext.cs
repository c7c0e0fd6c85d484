namespace Gateway.Payouts;

/// <summary>
/// What the decisions read besides the payout, as data taken when the decision is made: the
/// partners a routed payout may go to right now (Routing:Order, enabled, circuit not open), the
/// enabled partners, each partner's inquiry grace, the causes that allow failover (causes.json
/// <c>failover</c>), and the inquiry backoff limit.
/// </summary>
public sealed record DecisionContext
{
    /// <summary>The first interval between inquiries; it doubles up to <see cref="MaxInquiryInterval"/>.</summary>
    public static readonly TimeSpan FirstInquiryInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Routing:Order, keeping only partners enabled and not known to be down, now.</summary>
    public required IReadOnlyList<string> Healthy { get; init; }

    public required IReadOnlySet<string> Enabled { get; init; }

    /// <summary>How long after a send each partner's "not found" is not yet believed.</summary>
    public required IReadOnlyDictionary<string, TimeSpan> InquiryGrace { get; init; }

    public required IReadOnlySet<string> FailoverCauses { get; init; }

    public required TimeSpan MaxInquiryInterval { get; init; }

    /// <summary>The first healthy partner not yet tried; null when none is left.</summary>
    public string? NextHealthy(IReadOnlySet<string> tried) => Healthy.FirstOrDefault(p => !tried.Contains(p));

    public TimeSpan GraceOf(string partner) => InquiryGrace[partner];
}
