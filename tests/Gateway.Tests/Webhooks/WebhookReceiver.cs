using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Gateway.Webhooks;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// A WireMock.Net webhook receiver at <c>/hook</c>: answers 500 to its first <see cref="FailFirst"/>
/// deliveries (and to every one while <see cref="Down"/>), 200 after; with a <c>delay</c>, every answer
/// takes that long. Records every delivery it got, with what it answered.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    public const string Secret = "whsec_test_0123456789abcdef";

    private readonly WireMockServer _server;
    private int _count;

    public WebhookReceiver(int failFirst = 0, TimeSpan? delay = null)
    {
        FailFirst = failFirst;
        _server = WireMockServer.Start();
        var response = Response.Create().WithCallback(Answer);
        _server.Given(Request.Create().WithPath("/hook").UsingPost())
            .RespondWith(delay is { } wait ? response.WithDelay(wait) : response);
    }

    public int FailFirst { get; set; }

    /// <summary>The first this many deliveries hang for <see cref="HangFor"/> before answering (a sender killed meanwhile never hears).</summary>
    public int HangFirst { get; set; }

    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Deliveries that arrived, answered or not yet.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    private int _arrived;

    private volatile bool _down;

    public bool Down { get => _down; set => _down = value; }

    public string Url => _server.Urls[0] + "/hook";

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    /// <summary>The event ids answered 2xx.</summary>
    public IReadOnlySet<string> Delivered => Deliveries.Where(d => d.Answered == 200).Select(d => d.EventId).ToHashSet(StringComparer.Ordinal);

    /// <summary>The settings that point <paramref name="client"/>'s webhook here.</summary>
    public void ApplyTo(IDictionary<string, string?> settings, string client)
    {
        settings[$"Webhooks:{client}:Url"] = Url;
        settings[$"Webhooks:{client}:Secret"] = Secret;
    }

    public void Dispose() => _server.Dispose();

    private async Task<IResponseMessage> Answer(IRequestMessage request)
    {
        if (Interlocked.Increment(ref _arrived) <= HangFirst)
        {
            // Holds the connection open without an answer, as a hung receiver does; no thread is blocked.
            await Task.Delay(HangFor);
        }

        var n = Interlocked.Increment(ref _count);
        var status = Down || n <= FailFirst ? 500 : 200;
        var body = request.Body ?? "";
        var signature = request.Headers?.TryGetValue(WebhookSignature.Header, out var values) == true ? values.FirstOrDefault() : null;
        string? eventId = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            eventId = doc.RootElement.GetProperty("id").GetString();
        }
        catch (JsonException)
        {
        }

        Deliveries.Enqueue(new Delivery(eventId ?? "", body, signature, status, DateTimeOffset.UtcNow));
        return new ResponseMessage { StatusCode = status };
    }

    /// <summary>One delivery as received.</summary>
    public sealed record Delivery(string EventId, string Body, string? Signature, int Answered, DateTimeOffset At)
    {
        public bool Verifies(string secret = Secret) =>
            WebhookSignature.Verify(secret, Signature, Encoding.UTF8.GetBytes(Body), DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance);
    }
}
