using System.Globalization;

namespace LoadDriver.Payouts;

/// <summary>
/// Relative weights of the payout kinds, each sent to a partner by name (<c>kind@partner=weight</c>,
/// partner ycb, prb or silkpay) or routed (<c>kind=weight</c>: no partner in the request, the
/// gateway's routing order decides), e.g. <c>ordinary=40,ordinary@prb=20,failover=4,duplicate=5</c>.
/// <c>failover</c> is routed only, <c>duplicate</c> repeats an earlier payout and names no partner.
/// </summary>
public sealed record PayoutMix(IReadOnlyList<MixEntry> Entries)
{
    /// <summary>Real traffic on all three partners: named and routed ordinary payouts, rejects at each, slow, drop, failover and duplicates.</summary>
    public static PayoutMix Default { get; } = Parse(
        "ordinary=38,ordinary@prb=18,ordinary@silkpay=18,reject=3,reject@prb=2,reject@silkpay=2,slow=3,slow@prb=1,drop=2,drop@silkpay=1,failover=4,duplicate=8");

    public int Total => Entries.Sum(e => e.Weight);

    /// <summary>The weight of one kind over every partner.</summary>
    public int WeightOf(PayoutKind kind) => Entries.Where(e => e.Kind == kind).Sum(e => e.Weight);

    public static PayoutMix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<MixEntry>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var entry = ParseEntry(part) ?? throw new FormatException(
                $"'{part}' is not kind=weight or kind@partner=weight with a kind among {string.Join(", ", Enum.GetNames<PayoutKind>()).ToLowerInvariant()}, "
                + $"a partner among {string.Join(", ", PartnerNames.All)} (not for failover or duplicate) and a weight 0–10000.");
            entries.RemoveAll(e => e.Kind == entry.Kind && e.Partner == entry.Partner);
            entries.Add(entry);
        }

        var mix = new PayoutMix(entries);
        if (mix.Total == 0 || mix.WeightOf(PayoutKind.Duplicate) == mix.Total)
        {
            throw new FormatException("The mix needs a positive weight on at least one kind other than duplicate.");
        }

        return mix;
    }

    /// <summary>The entry a draw in [0, <see cref="Total"/>) falls on.</summary>
    public MixEntry EntryAt(int draw)
    {
        foreach (var entry in Entries)
        {
            draw -= entry.Weight;
            if (draw < 0)
            {
                return entry;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(draw));
    }

    /// <summary>The kind a draw in [0, <see cref="Total"/>) falls on.</summary>
    public PayoutKind KindAt(int draw) => EntryAt(draw).Kind;

    public override string ToString() => string.Join(",", Entries.Select(e => e.Label + "=" + e.Weight.ToString(CultureInfo.InvariantCulture)));

    private static MixEntry? ParseEntry(string part)
    {
        var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
        if (pair.Length != 2
            || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight)
            || weight > 10_000)
        {
            return null;
        }

        var name = pair[0].Split('@', 2, StringSplitOptions.TrimEntries);
        string? partner = name.Length == 2 ? name[1].ToLowerInvariant() : null;
        if (!Enum.TryParse<PayoutKind>(name[0], ignoreCase: true, out var kind)
            || !Enum.IsDefined(kind)
            || int.TryParse(name[0], out _)
            || (partner is not null && (!PartnerNames.IsKnown(partner) || kind is PayoutKind.Failover or PayoutKind.Duplicate)))
        {
            return null;
        }

        return new MixEntry(kind, partner, weight);
    }
}
