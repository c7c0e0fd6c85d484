using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Gateway.Webhooks;

/// <summary>How one delivery attempt ended.</summary>
public enum DeliveryOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Another status, no answer within the attempt timeout, or no connection.</summary>
    Failed,

    /// <summary>Not tried: the endpoint's circuit is open after failures in a row.</summary>
    CircuitOpen,
}

/// <summary>One attempt's result: the outcome and, when the receiver answered, its status code.</summary>
public sealed record DeliveryResult(DeliveryOutcome Outcome, int? StatusCode = null, string? Error = null);

/// <summary>
/// Sends one event to one endpoint: <c>POST</c> of the stored raw body, signed now
/// (<see cref="WebhookSignature"/>), through the endpoint's own resilience pipeline — a circuit
/// breaker and an attempt timeout (<see cref="WebhookDeliveryOptions.AttemptTimeout"/>), no retries
/// (the outbox retries). Pipelines are per endpoint, so one failing receiver opens only its own circuit.
/// Never throws but for cancellation of the caller.
/// </summary>
public sealed class WebhookDelivery(IHttpClientFactory http, IOptions<WebhookDeliveryOptions> options, TimeProvider time)
{
    public const string HttpClientName = "webhooks";

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.Ordinal);

    public async Task<DeliveryResult> SendAsync(WebhookEndpoint endpoint, string body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var pipeline = _pipelines.GetOrAdd(endpoint.Key, key => Build(key, options.Value, time));
        var client = http.CreateClient(HttpClientName);
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(endpoint.Secret, time.GetUtcNow(), bytes));
                return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }, cancellationToken);
            var status = (int)response.StatusCode;
            return new DeliveryResult(response.IsSuccessStatusCode ? DeliveryOutcome.Delivered : DeliveryOutcome.Failed, status);
        }
        catch (BrokenCircuitException)
        {
            return new DeliveryResult(DeliveryOutcome.CircuitOpen, Error: "circuit open");
        }
        catch (TimeoutRejectedException)
        {
            return new DeliveryResult(DeliveryOutcome.Failed, Error: "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Failed, Error: ex.HttpRequestError.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryOutcome.Failed, Error: "timeout");
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(string key, WebhookDeliveryOptions options, TimeProvider time) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "webhook:" + key, TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "circuit",
                FailureRatio = 0.9,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.BreakerBreakDuration.TotalSeconds)),
                BreakDuration = options.BreakerBreakDuration,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => !r.IsSuccessStatusCode),
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout })
            .Build();
}
