using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Ops;

/// <summary>A scrape in the Prometheus text exposition format, read line by line.</summary>
public sealed partial record PrometheusScrape(IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples)
{
    public static PrometheusScrape Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
            }
            else if (!line.StartsWith('#') && SampleLine().Match(line) is { Success: true } match)
            {
                var labels = LabelPair().Matches(match.Groups["labels"].Value)
                    .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
                samples.Add(new Sample(match.Groups["name"].Value, labels,
                    double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)));
            }
        }

        return new PrometheusScrape(types, samples);
    }

    /// <summary>The one sample of <paramref name="name"/> carrying these labels (others may be present).</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        var matching = Matching(name, labels).ToList();
        Assert.True(matching.Count == 1, $"{matching.Count} samples of {name} with {string.Join(',', labels)}; the scrape has: "
            + string.Join("; ", Samples.Where(s => s.Name == name).Select(s => string.Join(',', s.Labels) + "=" + s.Value)));
        return matching[0].Value;
    }

    public double Sum(string name, params (string Label, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    private IEnumerable<Sample> Matching(string name, (string Label, string Value)[] labels) => Samples.Where(s =>
        s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>.*)\\})? (?<value>[^ ]+)( [0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}

public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
