using System.Text.Json;
using LoadDriver.Api;

namespace LoadDriver.Timeline;

/// <summary>
/// Polls <c>GET /v1/diagnostics/partners</c> (with an on-call key) every <see cref="Interval"/>
/// while a run goes on, and keeps each partner's <c>circuit</c> state with the time it was read.
/// Bounded: stops when cancelled or after <see cref="MaxPolls"/> polls. Never throws for what the
/// gateway does: a poll without a usable answer (gateway down, 5xx, bad JSON, timeout) is recorded
/// as a failed poll, a gap on the chart. Start with <see cref="Start"/>, end with <see cref="StopAsync"/>.
/// </summary>
public sealed class BreakerSampler : IAsyncDisposable
{
    /// <summary>Two polls a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>An hour of polls at the default interval.</summary>
    public const int DefaultMaxPolls = 7200;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<BreakerSample> _samples = [];
    private readonly List<DateTimeOffset> _failed = [];
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public BreakerSampler(Uri gateway, string onCallKey, TimeProvider? time = null, TimeSpan? interval = null, int maxPolls = DefaultMaxPolls)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentException.ThrowIfNullOrEmpty(onCallKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPolls, 1);
        Loopback.Require(gateway);
        _time = time ?? TimeProvider.System;
        Interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero);
        MaxPolls = maxPolls;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), UseProxy = false })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(2),
        };
        _http.DefaultRequestHeaders.Add("X-Api-Key", onCallKey);
    }

    public const string Path = "/v1/diagnostics/partners";

    public TimeSpan Interval { get; }

    public int MaxPolls { get; }

    /// <summary>Starts polling in the background (once).</summary>
    public void Start(CancellationToken cancellationToken = default)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The sampler is already started.");
        }

        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = Task.Run(() => PollAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Stops polling and returns everything seen so far.</summary>
    public async Task<BreakerRecord> StopAsync()
    {
        if (_stop is not null && _loop is not null)
        {
            await _stop.CancelAsync();
            await _loop;
        }

        return Record();
    }

    /// <summary>Polls until cancelled or <see cref="MaxPolls"/> polls are done; never throws.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxPolls && !cancellationToken.IsCancellationRequested; poll++)
        {
            await PollOnceAsync(cancellationToken);
            try
            {
                await Task.Delay(Interval, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What has been seen so far.</summary>
    public BreakerRecord Record()
    {
        lock (_gate)
        {
            return new BreakerRecord([.. _samples], [.. _failed], Interval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop?.Dispose();
        _http.Dispose();
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        List<BreakerSample>? read = null;
        try
        {
            using var response = await _http.GetAsync(new Uri(Path, UriKind.Relative), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                read = Parse(at, json.RootElement);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException or IOException or InvalidOperationException)
        {
            read = null;
        }

        if (cancellationToken.IsCancellationRequested && read is null)
        {
            return;
        }

        lock (_gate)
        {
            if (read is null)
            {
                _failed.Add(at);
            }
            else
            {
                _samples.AddRange(read);
            }
        }
    }

    /// <summary>The <c>partners[].partner</c> and <c>partners[].circuit</c> of an answer; null when it has no such array.</summary>
    internal static List<BreakerSample>? Parse(DateTimeOffset at, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("partners", out var partners) || partners.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var samples = new List<BreakerSample>();
        foreach (var partner in partners.EnumerateArray())
        {
            if (partner.ValueKind == JsonValueKind.Object
                && partner.TryGetProperty("partner", out var name) && name.ValueKind == JsonValueKind.String
                && partner.TryGetProperty("circuit", out var circuit) && circuit.ValueKind == JsonValueKind.String)
            {
                samples.Add(new BreakerSample(at, name.GetString()!, circuit.GetString()!));
            }
        }

        return samples;
    }
}
