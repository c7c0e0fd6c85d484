using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Simulators.Common;

/// <summary>
/// One HTTP request as it reached a simulator, before any mapping looked at it: the method, the
/// request target exactly as it came on the wire (<see cref="RawTarget"/>), the headers and the
/// declared body length. Kept for tests that must show what a partner did or did not receive.
/// </summary>
public sealed record ReceivedRequest(
    string Method,
    string RawTarget,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    long? ContentLength)
{
    /// <summary>
    /// When it arrived, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp (monotonic, this
    /// process's): for tests that judge the rate a partner actually received, e.g. per second window.
    /// </summary>
    public long ReceivedAt { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>A header's value (values joined by ", "), by case-insensitive name; null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Every request a simulator received, across restarts, in arrival order. Recorded by the
/// simulator's first middleware, so it counts requests that match no mapping as well.
/// </summary>
internal sealed class ReceivedRequests
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    public IReadOnlyList<ReceivedRequest> Snapshot() => [.. _requests];

    public void Record(HttpContext context)
    {
        var request = context.Request;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        _requests.Enqueue(new ReceivedRequest(request.Method,
            string.IsNullOrEmpty(raw) ? request.Path.ToUriComponent() + request.QueryString.ToUriComponent() : raw,
            request.Path.Value ?? "", headers, request.ContentLength));
    }
}
