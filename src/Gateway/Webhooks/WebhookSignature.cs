using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Webhooks;

/// <summary>
/// The <c>Gateway-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;lowercase hex
/// HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>. The timestamp is signed with the body, so a
/// receiver that checks it is recent (<see cref="Verify"/>'s tolerance) refuses a replayed old delivery.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Gateway-Signature";

    /// <summary>The receiver-side default tolerance for the signed timestamp.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var t = at.ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},v1={Mac(secret, t, body)}";
    }

    /// <summary>
    /// Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> with
    /// <paramref name="secret"/> whose timestamp lies within <paramref name="tolerance"/> of
    /// <paramref name="now"/>. Malformed headers are false, never an exception; the MAC is compared in constant time.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        long? t = null;
        var macs = new List<string>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (key == "t")
            {
                if (t is not null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return false;
                }

                t = seconds;
            }
            else if (key == "v1")
            {
                macs.Add(value);
            }
        }

        if (t is not { } stamp || macs.Count == 0 || stamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - stamp) > (long)tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(secret, stamp, body));
        var match = false;
        foreach (var mac in macs)
        {
            match |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(mac));
        }

        return match;
    }

    private static string Mac(string secret, long t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(t.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }
}
