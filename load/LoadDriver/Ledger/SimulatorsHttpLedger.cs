using System.Text.Json;
using LoadDriver.Api;

namespace LoadDriver.Ledger;

/// <summary>
/// The ledger of the three simulators run as their own processes (<see cref="Deployment.DeploymentOptions.SimulatorsOutOfProcess"/>),
/// read over their control API and counted exactly as <see cref="SimulatorLedger"/> counts the in-process ones:
/// per payout id, ycb's executions (<c>GET /__sim/ledger</c>, <c>reqSeqNo</c>) plus the resends its de-dup refused
/// (<c>GET /__sim/ledger/refused-resends</c>), prb's (<c>endToEndId</c>) and SilkPay's (<c>clientReference</c>),
/// summed over the three, the <see cref="Excluded"/> warm-up payouts left out.
/// </summary>
public sealed class SimulatorsHttpLedger : IPartnerLedger, IDisposable
{
    private readonly HttpClient _ycb;
    private readonly HttpClient _prb;
    private readonly HttpClient _silkPay;

    public SimulatorsHttpLedger(Uri ycb, Uri prb, Uri silkPay)
    {
        _ycb = Client(ycb);
        _prb = Client(prb);
        _silkPay = Client(silkPay);
    }

    public bool IsExclusive => true;

    /// <summary>References left out of the counts: the deployment's own warm-up payouts.</summary>
    public IReadOnlySet<string> Excluded { get; init; } = new HashSet<string>();

    public async Task<IReadOnlyDictionary<string, int>> ExecutionCountsAsync(CancellationToken cancellationToken)
    {
        var ycb = _ycb.GetStringAsync(new Uri("/__sim/ledger", UriKind.Relative), cancellationToken);
        var refused = _ycb.GetStringAsync(new Uri("/__sim/ledger/refused-resends", UriKind.Relative), cancellationToken);
        var prb = _prb.GetStringAsync(new Uri("/__sim/ledger", UriKind.Relative), cancellationToken);
        var silkPay = _silkPay.GetStringAsync(new Uri("/__sim/ledger", UriKind.Relative), cancellationToken);
        return Count(await ycb, await refused, await prb, await silkPay, Excluded);
    }

    /// <summary>
    /// The executions per payout id in the four answers (ycb's ledger, its refused resends, prb's and SilkPay's
    /// ledgers), without <paramref name="excluded"/>. Throws a <see cref="FormatException"/> naming the answer
    /// when one is not what the simulators write.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Count(string ycbLedger, string ycbRefusedResends, string prbLedger, string silkPayLedger,
        IReadOnlySet<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in References(ycbLedger, "ycb", "reqSeqNo")
            .Concat(References(prbLedger, "prb", "endToEndId"))
            .Concat(References(silkPayLedger, "silkpay", "clientReference")))
        {
            Add(counts, reference, 1, excluded);
        }

        foreach (var (reference, resends) in Resends(ycbRefusedResends))
        {
            Add(counts, reference, resends, excluded);
        }

        return counts;
    }

    public void Dispose()
    {
        _ycb.Dispose();
        _prb.Dispose();
        _silkPay.Dispose();
    }

    private static void Add(Dictionary<string, int> counts, string reference, int n, IReadOnlySet<string> excluded)
    {
        if (!excluded.Contains(reference))
        {
            counts[reference] = counts.GetValueOrDefault(reference) + n;
        }
    }

    private static List<string> References(string json, string partner, string field)
    {
        using var document = Parse(json, partner);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"the {partner} ledger is not a JSON array");
        }

        return document.RootElement.EnumerateArray()
            .Select(line => line.ValueKind == JsonValueKind.Object && line.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw new FormatException($"a {partner} ledger line has no string {field}: {line.GetRawText()}"))
            .ToList();
    }

    private static List<(string Reference, int Resends)> Resends(string json)
    {
        using var document = Parse(json, "ycb refused-resends");
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the ycb refused-resends answer is not a JSON object");
        }

        return document.RootElement.EnumerateObject()
            .Select(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var n) && n >= 0
                ? (p.Name, n)
                : throw new FormatException($"ycb refused-resends of {p.Name} is not a count: {p.Value.GetRawText()}"))
            .ToList();
    }

    private static JsonDocument Parse(string json, string what)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the {what} answer is not JSON: {ex.Message}", ex);
        }
    }

    private static HttpClient Client(Uri simulator)
    {
        Loopback.Require(simulator);
        return new HttpClient { BaseAddress = simulator, Timeout = TimeSpan.FromSeconds(30) };
    }
}
