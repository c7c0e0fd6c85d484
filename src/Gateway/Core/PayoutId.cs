using System.Security.Cryptography;
using System.Text;

namespace Gateway.Core;

/// <summary>
/// The payout id is an HMAC-SHA256, keyed with the server's <c>Payouts:IdSecret</c>, of (API
/// client, Idempotency-Key): <c>po_</c> + 26 base32 characters (130 bits). It is also the
/// reference every partner de-duplicates on, so a client retry reaches the partner under the
/// same reference even if Redis lost the key; and since nobody without the secret can compute
/// it, nobody can pre-empt another client's future reference at a partner.
/// 29 characters: within ycb's 32 for reqSeqNo and prb's 35 for endToEndId.
/// </summary>
public static class PayoutId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int Length = 26;

    public static string Derive(ReadOnlySpan<byte> secret, string client, string idempotencyKey)
    {
        var input = Encoding.UTF8.GetBytes(client + "\n" + idempotencyKey);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(secret, input, hash);

        Span<char> chars = stackalloc char[Length];
        int buffer = 0, bits = 0, index = 0, written = 0;
        while (written < Length)
        {
            if (bits < 5)
            {
                buffer = (buffer << 8) | hash[index++];
                bits += 8;
            }

            chars[written++] = Alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }

        return "po_" + new string(chars);
    }

    public static bool LooksValid(string id) =>
        id.Length == 3 + Length && id.StartsWith("po_", StringComparison.Ordinal) && id[3..].All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
