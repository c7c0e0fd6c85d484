using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Gateway.Diagnosis;
using Gateway.Core;
using Refit;

namespace Gateway.Partners;

/// <summary>A partner's answer as it came off the wire: the status, the body bytes (read once) and the <c>Retry-After</c> header.</summary>
public readonly record struct WireResponse(int Http, byte[] Body, RetryConditionHeaderValue? RetryAfterHeader)
{
    public bool IsSuccess => Http is >= 200 and < 300;
}

/// <summary>
/// What every adapter shares: one Refit configuration (the same JSON on the wire for all, buffered
/// bodies with a Content-Length, raw <see cref="HttpResponseMessage"/> answers) and one reader of
/// answers — the response read once, its JSON parsed, its <c>Retry-After</c>, and a code-table row
/// turned into a <see cref="PartnerAnswer"/>. Each adapter keeps only what its dialect says.
/// </summary>
public sealed class PartnerWire(string partner, CodeTable codes, TimeProvider time)
{
    /// <summary>
    /// UTF-8 as is (names are Chinese). Property names are fixed by attributes and values come only
    /// from the stored payout, so one payout always serialises to the same bytes (what ycb signs,
    /// what SilkPay compares under one Idempotency-Key).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>One buffered body with a Content-Length: the same bytes on every attempt.</summary>
    public static readonly RefitSettings Refit = new(new SystemTextJsonContentSerializer(Json)) { Buffered = true };

    public CodeTable Codes => codes;

    /// <summary>Sends, and reads the whole answer; transport failures propagate for the pipeline to see.</summary>
    public static async Task<WireResponse> ReceiveAsync(Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
    {
        using var response = await sending;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new WireResponse((int)response.StatusCode, body, response.Headers.RetryAfter);
    }

    /// <summary>The body as <typeparamref name="T"/>; an answer that cannot be read is an unknown outcome, never a failure.</summary>
    public T Parse<T>(WireResponse response)
        where T : class =>
        TryParse<T>(response.Body)
        ?? throw new PartnerMalformedResponseException($"{partner} answered HTTP {response.Http} with an unreadable body", response.Http);

    /// <summary>The body as <typeparamref name="T"/>, or null when it is empty or not that JSON.</summary>
    public static T? TryParse<T>(byte[] body)
        where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>How long the partner asked us to wait (<c>Retry-After</c> as seconds or as a date), if it did.</summary>
    public TimeSpan? RetryAfter(WireResponse response) => response.RetryAfterHeader switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// <paramref name="answer"/> (an unknown outcome with the evidence) read by the code-table row of
    /// <paramref name="code"/>: a rejection, a throttle (retryable, after <paramref name="retryAfter"/>),
    /// a duplicate, an unknown outcome with its cause; a code without a row stays <paramref name="answer"/>.
    /// </summary>
    public PartnerAnswer ByCode(PartnerAnswer answer, string? code, TimeSpan? retryAfter = null) =>
        ByRow(answer, codes.Find(code), retryAfter);

    /// <inheritdoc cref="ByCode"/>
    public static PartnerAnswer ByRow(PartnerAnswer answer, CodeRow? row, TimeSpan? retryAfter = null) => row?.Meaning switch
    {
        CodeMeaning.Rejected => answer with { Outcome = PartnerOutcome.NotExecuted, Label = "rejected", Cause = row.Cause },
        CodeMeaning.Throttled => answer with
        {
            Outcome = PartnerOutcome.NotExecuted, Label = "throttled", Cause = row.Cause, Retryable = true, RetryAfter = retryAfter,
        },
        CodeMeaning.Duplicate => answer with { Outcome = PartnerOutcome.Duplicate, Label = "duplicate", Cause = null },
        CodeMeaning.Unknown => answer with
        {
            Outcome = PartnerOutcome.Unknown, Label = answer.HttpStatus >= 500 ? "unavailable" : "unknown", Cause = row.Cause,
        },
        _ => answer,
    };

    /// <summary>The answer every dialect starts from: outcome unknown under an unmapped code, with the (scrubbed) evidence.</summary>
    public static PartnerAnswer Unmapped(int http, string? code, string? message = null) => new()
    {
        Outcome = PartnerOutcome.Unknown,
        Label = "unknown_code",
        Cause = Causes.PartnerUnknownCode,
        HttpStatus = http,
        // What the partner wrote is kept only scrubbed (PartnerText): it reaches records, logs and /ops.
        PartnerCode = PartnerText.Code(code),
        PartnerMessage = PartnerText.Message(message),
    };
}

/// <summary><c>Authorization: Bearer &lt;token&gt;</c> on every request of an adapter, the token read from its options at call time.</summary>
internal sealed class BearerTokenHandler(Func<string> token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token());
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
