using System.ComponentModel.DataAnnotations;

namespace Gateway.Auth;

/// <summary>
/// <c>Auth:ApiKeys:&lt;clientName&gt;</c> = the key that client (a lending backend) authenticates with;
/// <c>Auth:OpsKeys:&lt;name&gt;</c> = an on-call key (read-only diagnostics across every client);
/// <c>Auth:OperatorKeys:&lt;name&gt;</c> = a state store operator's key (accepting a data loss, nothing else).
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";

    /// <summary>Client name → API key. At least one client must be configured.</summary>
    [Required, MinLength(1)]
    public Dictionary<string, string> ApiKeys { get; init; } = [];

    /// <summary>On-call name → on-call key. Optional: without one, <c>/v1/diagnostics</c> and <c>/ops</c> refuse every key.</summary>
    public Dictionary<string, string> OpsKeys { get; init; } = [];

    /// <summary>
    /// Operator name → operator key. Optional: without one, a data loss of the state store cannot be
    /// accepted over HTTP and new payouts stay refused (503 <c>state-store-lost</c>) until Redis is restored.
    /// </summary>
    public Dictionary<string, string> OperatorKeys { get; init; } = [];

    /// <summary>Every configured key with its holder, role and setting name (<c>Auth:&lt;section&gt;:&lt;name&gt;</c>).</summary>
    internal IEnumerable<(string Setting, string Name, string Role, string Key)> Holders() =>
        Of(nameof(ApiKeys), ApiKeys, ApiKeyRoles.Client)
            .Concat(Of(nameof(OpsKeys), OpsKeys, ApiKeyRoles.OnCall))
            .Concat(Of(nameof(OperatorKeys), OperatorKeys, ApiKeyRoles.Operator));

    private static IEnumerable<(string Setting, string Name, string Role, string Key)> Of(string section, Dictionary<string, string> keys, string role) =>
        keys.Select(p => ($"{Section}:{section}:{p.Key}", p.Key, role, p.Value));
}
