using System.Security.Cryptography;
using System.Text;
using WireMock;

namespace Simulators.Common;

/// <summary>Checks <c>Authorization: Bearer &lt;secretKey&gt;</c>.</summary>
internal sealed class BearerAuth(string secret)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + secret);

    public bool IsValid(IRequestMessage request)
    {
        var given = Header(request, "Authorization");
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _expected);
    }

    /// <summary>A single-valued header, by case-insensitive name.</summary>
    public static string? Header(IRequestMessage request, string name)
    {
        foreach (var (key, values) in request.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return values.Count == 1 ? values[0] : null;
            }
        }

        return null;
    }
}
