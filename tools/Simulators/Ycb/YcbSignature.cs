using System.Security.Cryptography;
using System.Text;
using WireMock;

namespace Simulators.Ycb;

/// <summary>
/// Checks ycb's request signing: <c>X-YCB-AppId</c> must be the app id and
/// <c>X-YCB-Signature</c> the lowercase hex HMAC-SHA256 (key = app secret) of the exact body
/// bytes, or, for a bodiless GET, of the path (e.g. <c>/api/v2/disburse/po_123</c>).
/// </summary>
internal sealed class YcbSignature(string appId, string appSecret)
{
    public const string AppIdHeader = "X-YCB-AppId";
    public const string SignatureHeader = "X-YCB-Signature";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(appSecret);

    public string Sign(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, data));

    /// <summary>A POST: the signature covers the body bytes as received.</summary>
    public bool IsValidForBody(IRequestMessage request) => IsValid(request, request.BodyAsBytes ?? []);

    /// <summary>A GET: the signature covers the path, as sent (percent-encoded) or decoded.</summary>
    public bool IsValidForPath(IRequestMessage request)
    {
        var encodedPath = Uri.TryCreate(request.Url, UriKind.Absolute, out var url) ? url.AbsolutePath : request.Path;
        return IsValid(request, Encoding.UTF8.GetBytes(encodedPath))
            || IsValid(request, Encoding.UTF8.GetBytes(request.Path));
    }

    private bool IsValid(IRequestMessage request, ReadOnlySpan<byte> signed)
    {
        var givenAppId = Header(request, AppIdHeader);
        var givenSignature = Header(request, SignatureHeader);
        if (!string.Equals(givenAppId, appId, StringComparison.Ordinal) || givenSignature is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(signed)), Encoding.ASCII.GetBytes(givenSignature));
    }

    /// <summary>A single-valued header, by case-insensitive name.</summary>
    private static string? Header(IRequestMessage request, string name)
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
