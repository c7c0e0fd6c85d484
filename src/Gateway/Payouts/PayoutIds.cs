using System.Text;
using Microsoft.Extensions.Options;
using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>
/// Derives payout ids with the configured secret (<see cref="PayoutIdOptions"/>). After a
/// rotation the ids an old secret gave are still recognised (<see cref="Previous"/>), so a
/// client retrying a key it used before the rotation finds its payout instead of creating a
/// second one under a new reference.
/// </summary>
public sealed class PayoutIds
{
    private readonly byte[] _current;
    private readonly byte[][] _previous;

    public PayoutIds(IOptions<PayoutIdOptions> options)
    {
        _current = Encoding.UTF8.GetBytes(options.Value.IdSecret ?? PayoutIdOptions.DevelopmentSecret);
        _previous = [.. options.Value.PreviousIdSecrets.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>The id of (client, key) under the current secret.</summary>
    public string Derive(string client, string idempotencyKey) => PayoutId.Derive(_current, client, idempotencyKey);

    /// <summary>The ids (client, key) had under each previous secret, newest first; empty without a rotation.</summary>
    public IReadOnlyList<string> Previous(string client, string idempotencyKey) =>
        _previous.Length == 0 ? [] : [.. _previous.Select(secret => PayoutId.Derive(secret, client, idempotencyKey))];
}
