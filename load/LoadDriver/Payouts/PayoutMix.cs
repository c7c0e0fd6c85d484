using System.Globalization;

namespace LoadDriver.Payouts;

/// <summary>Relative weights of the payout kinds, e.g. <c>ordinary=80,reject=8,slow=4,drop=3,duplicate=5</c>.</summary>
public sealed record PayoutMix(IReadOnlyDictionary<PayoutKind, int> Weights)
{
    public static PayoutMix Default { get; } = Parse("ordinary=80,reject=8,slow=4,drop=3,duplicate=5");

    public int Total => Weights.Values.Sum();

    public static PayoutMix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var weights = new Dictionary<PayoutKind, int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2
                || !Enum.TryParse<PayoutKind>(pair[0], ignoreCase: true, out var kind)
                || !Enum.IsDefined(kind)
                || int.TryParse(pair[0], out _)
                || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight)
                || weight > 10_000)
            {
                throw new FormatException(
                    $"'{part}' is not kind=weight with a kind among {string.Join(", ", Enum.GetNames<PayoutKind>()).ToLowerInvariant()} and a weight 0–10000.");
            }

            weights[kind] = weight;
        }

        var mix = new PayoutMix(weights);
        if (mix.Total == 0 || weights.GetValueOrDefault(PayoutKind.Duplicate) == mix.Total)
        {
            throw new FormatException("The mix needs a positive weight on at least one kind other than duplicate.");
        }

        return mix;
    }

    /// <summary>The kind a draw in [0, <see cref="Total"/>) falls on.</summary>
    public PayoutKind KindAt(int draw)
    {
        foreach (var kind in Enum.GetValues<PayoutKind>())
        {
            draw -= Weights.GetValueOrDefault(kind);
            if (draw < 0)
            {
                return kind;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(draw));
    }

    public override string ToString() =>
        string.Join(",", Enum.GetValues<PayoutKind>().Where(Weights.ContainsKey).Select(k => $"{k.ToString().ToLowerInvariant()}={Weights[k]}"));
}
