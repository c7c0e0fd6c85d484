namespace LoadDriver.Payouts;

/// <summary>
/// One term of a mix: a kind, the partner its requests name (null: routed by <c>Routing:Order</c>)
/// and its relative weight. Written <c>kind=weight</c> or <c>kind@partner=weight</c>.
/// </summary>
public sealed record MixEntry(PayoutKind Kind, string? Partner, int Weight)
{
    /// <summary>The term as the mix syntax writes it, without the weight: <c>reject@prb</c>, <c>failover</c>.</summary>
    public string Label => Kind.ToString().ToLowerInvariant() + (Partner is null ? "" : "@" + Partner);
}
