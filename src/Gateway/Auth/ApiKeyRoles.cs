namespace Gateway.Auth;

/// <summary>
/// The roles a key carries, as role claims: the two of payout-api.md ("Authentication and roles") and
/// the operator, who holds the one action that changes the state store's standing (accepting a data loss)
/// so on-call keys stay read-only as the spec says.
/// </summary>
public static class ApiKeyRoles
{
    /// <summary>A lending backend (<c>Auth:ApiKeys</c>): submits payouts, reads its own, uses the pass-through.</summary>
    public const string Client = "client";

    /// <summary>An on-call engineer (<c>Auth:OpsKeys</c>): reads <c>/v1/diagnostics</c> across every client, nothing else.</summary>
    public const string OnCall = "on-call";

    /// <summary>
    /// A state store operator (<c>Auth:OperatorKeys</c>): accepts a data loss of the state store after the
    /// reconciliation with the partners (<c>POST /v1/state-store/accept-loss</c>), nothing else.
    /// </summary>
    public const string Operator = "operator";
}
