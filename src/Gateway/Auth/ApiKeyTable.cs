using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Auth;

/// <summary>
/// Every configured key with its holder and role. A presented key is hashed (SHA-256) and compared
/// with every entry in constant time, so neither the match nor the keys' lengths show in timing.
/// </summary>
internal sealed class ApiKeyTable(IOptions<ApiKeyOptions> options)
{
    private readonly Entry[] _entries = [.. options.Value.Holders().Select(h => new Entry(h.Name, h.Role, Hash(h.Key)))];

    /// <summary>The holder of <paramref name="presented"/>, or null when no configured key matches.</summary>
    public (string Name, string Role)? Find(string presented) => FindEntry(presented) is { } entry ? (entry.Name, entry.Role) : null;

    /// <summary>The principal of the holder of <paramref name="presented"/> (built once per key), or null.</summary>
    public System.Security.Claims.ClaimsPrincipal? PrincipalOf(string presented) => FindEntry(presented)?.Principal;

    private Entry? FindEntry(string presented)
    {
        var hash = Hash(presented);
        Entry? found = null;
        foreach (var entry in _entries)
        {
            // No early exit: every entry is compared whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(hash, entry.KeyHash))
            {
                found = entry;
            }
        }

        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private sealed record Entry(string Name, string Role, byte[] KeyHash)
    {
        /// <summary>Immutable once built: nothing in the gateway adds claims to a request's principal.</summary>
        public System.Security.Claims.ClaimsPrincipal Principal { get; } = ApiKeyAuthentication.Principal(Name, Role);
    }
}
