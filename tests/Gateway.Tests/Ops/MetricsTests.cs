using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Ops;

/// <summary>What Prometheus scrapes from <c>GET /metrics</c> (no key) after a seeded set of payouts.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class MetricsTests(RedisFixture redis, OpsGateway gateway) : IClassFixture<OpsGateway>
{
    [Fact]
    public async Task Metrics_AfterSeededPayouts_CountsPayoutsByStatusPartnerAndCause()
    {
        await gateway.StartAsync(redis);

        var scrape = await ScrapeAsync();

        Assert.Equal("counter", scrape.Types["gateway_payouts_completed_total"]);
        var expected = gateway.Seeded.All.GroupBy(p => (p.Status, Cause: p.Cause ?? "none"));
        foreach (var group in expected)
        {
            Assert.Equal(group.Count(), scrape.Value("gateway_payouts_completed_total",
                ("status", group.Key.Status), ("partner", "ycb"), ("cause", group.Key.Cause)));
        }

        Assert.Equal(gateway.Seeded.All.Count, scrape.Sum("gateway_payouts_completed_total"));
        Assert.Equal(2, scrape.Value("gateway_payouts_completed_total", ("status", "failed"), ("cause", "ACCOUNT_FROZEN")));
    }

    [Fact]
    public async Task Metrics_AfterSeededPayouts_HasYcbCallLatencyHistogramByCallAndOutcome()
    {
        await gateway.StartAsync(redis);

        var scrape = await ScrapeAsync();

        Assert.Equal("histogram", scrape.Types["gateway_partner_call_duration_seconds"]);
        var disburses = scrape.Sum("gateway_partner_call_duration_seconds_count", ("partner", "ycb"), ("call", "disburse"));
        Assert.Equal(gateway.Seeded.All.Count, disburses);
        Assert.Equal(gateway.Seeded.Succeeded.Count,
            scrape.Value("gateway_partner_call_duration_seconds_count", ("partner", "ycb"), ("call", "disburse"), ("outcome", "succeeded")));
        Assert.Equal(disburses, scrape.Sum("gateway_partner_call_duration_seconds_bucket", ("partner", "ycb"), ("call", "disburse"), ("le", "+Inf")));
        Assert.True(scrape.Sum("gateway_partner_call_duration_seconds_sum", ("partner", "ycb"), ("call", "disburse")) > 0);
    }

    [Fact]
    public async Task Metrics_BreakerGauge_ShowsYcbClosed()
    {
        await gateway.StartAsync(redis);

        var scrape = await ScrapeAsync();

        Assert.Equal("gauge", scrape.Types["gateway_partner_circuit_state"]);
        Assert.Equal(0, scrape.Value("gateway_partner_circuit_state", ("partner", "ycb")));
    }

    private async Task<Scrape> ScrapeAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(gateway.Process.Url) };
        var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics: HTTP {(int)response.StatusCode} {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Scrape.Parse(text);
    }

    /// <summary>The Prometheus text exposition format, read line by line.</summary>
    private sealed partial record Scrape(IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples)
    {
        public static Scrape Parse(string text)
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

            return new Scrape(types, samples);
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

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
