namespace Gateway.Auth;

/// <summary>The two roles a key carries (payout-api.md, "Authentication and roles"), as role claims.</summary>
public static class ApiKeyRoles
{
    /// <summary>A lending backend (<c>Auth:ApiKeys</c>): submits payouts, reads its own, uses the pass-through.</summary>
    public const string Client = "client";

    /// <summary>An on-call engineer (<c>Auth:OpsKeys</c>): reads <c>/v1/diagnostics</c> across every client, nothing else.</summary>
    public const string OnCall = "on-call";
}
