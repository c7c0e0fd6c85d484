using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LoadDriver.Api;

/// <summary>
/// The payout API as the lending backend uses it: submit with an Idempotency-Key, read by id.
/// Loopback only. Never throws for what the network or the gateway does: a failed call is an answer.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public GatewayClient(Uri baseAddress, string apiKey, TimeSpan requestTimeout, TimeProvider? time = null, int instance = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instance);
        Instance = instance;
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        Loopback.Require(baseAddress);
        _time = time ?? TimeProvider.System;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = requestTimeout,
        };
        _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The gateway instance (0-based) this client talks to; stamped on every answer.</summary>
    public int Instance { get; }

    public async Task<SubmitAnswer> SubmitAsync(string idempotencyKey, string body, CancellationToken cancellationToken)
    {
        var sentAt = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payouts")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var (id, status, problem, partner, cause) = Read(text);
            return new SubmitAnswer(
                (int)response.StatusCode,
                id,
                status,
                response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true", StringComparer.OrdinalIgnoreCase),
                problem,
                response.Headers.RetryAfter?.Delta,
                null,
                sentAt,
                _time.GetUtcNow())
            { Instance = Instance, Partner = partner, FailureCause = cause };
        }
        catch (HttpRequestException ex)
        {
            return NoAnswer($"{ex.HttpRequestError}", sentAt);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NoAnswer("client timeout", sentAt);
        }
    }

    /// <summary>Reads a payout; null when it cannot be read now (not found, 503, no answer).</summary>
    public async Task<PayoutView?> GetAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri($"/v1/payouts/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = json.RootElement;
            var attempts = root.TryGetProperty("attempts", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
            var last = attempts.ValueKind == JsonValueKind.Array && attempts.GetArrayLength() > 0 ? attempts[attempts.GetArrayLength() - 1] : default;
            var failure = root.TryGetProperty("failure", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            return new PayoutView(
                root.GetProperty("id").GetString()!,
                root.GetProperty("status").GetString()!,
                Text(failure, "cause"),
                attempts.ValueKind == JsonValueKind.Array ? attempts.GetArrayLength() : 0,
                Text(last, "outcome"),
                Time(last, "at"),
                Text(root, "partner"),
                Text(failure, "category"),
                Time(root, "createdAt"),
                Time(root, "completedAt") ?? (root.GetProperty("status").GetString() is "succeeded" or "failed" ? Time(root, "updatedAt") : null));
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.TryGetDateTimeOffset(out var when) ? when : null;

    private SubmitAnswer NoAnswer(string error, DateTimeOffset sentAt) =>
        new(null, null, null, false, null, null, error, sentAt, _time.GetUtcNow()) { Instance = Instance };

    private static (string? Id, string? Status, string? ProblemType, string? Partner, string? Cause) Read(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            var failure = root.TryGetProperty("failure", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            return (Text(root, "id"), Text(root, "status"), Text(root, "type"), Text(root, "partner"), Text(failure, "cause"));
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>Load and chaos traffic goes to loopback addresses only.</summary>
public static class Loopback
{
    public static void Require(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsLoopback)
        {
            throw new ArgumentException($"{address} is not a loopback address; load and chaos traffic stays on this machine.", nameof(address));
        }
    }
}
