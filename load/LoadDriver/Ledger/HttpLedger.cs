using System.Net.Http.Json;
using LoadDriver.Api;

namespace LoadDriver.Ledger;

/// <summary>The ledger of a ycb simulator running elsewhere on this machine, read from <c>GET /__sim/ledger</c>.</summary>
public sealed class HttpLedger : IPartnerLedger, IDisposable
{
    private readonly HttpClient _http;

    public HttpLedger(Uri simulator, bool exclusive)
    {
        Loopback.Require(simulator);
        _http = new HttpClient { BaseAddress = simulator, Timeout = TimeSpan.FromSeconds(30) };
        IsExclusive = exclusive;
    }

    public bool IsExclusive { get; }

    public async Task<IReadOnlyDictionary<string, int>> ExecutionCountsAsync(CancellationToken cancellationToken)
    {
        var lines = await _http.GetFromJsonAsync<List<LedgerLine>>(new Uri("/__sim/ledger", UriKind.Relative), cancellationToken) ?? [];
        return lines.GroupBy(l => l.ReqSeqNo, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    public void Dispose() => _http.Dispose();

    private sealed record LedgerLine(string ReqSeqNo);
}
