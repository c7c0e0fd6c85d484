using System.ComponentModel.DataAnnotations;

namespace Gateway.Auth;

/// <summary><c>Auth:ApiKeys:&lt;clientName&gt;</c> = the key that client authenticates with.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";

    /// <summary>Client name → API key. At least one client must be configured.</summary>
    [Required, MinLength(1)]
    public Dictionary<string, string> ApiKeys { get; init; } = [];
}
