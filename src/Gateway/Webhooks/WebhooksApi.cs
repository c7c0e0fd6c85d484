using Gateway.Auth;
using Gateway.Hosting;
using Gateway.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Webhooks;

/// <summary>A dead-lettered webhook event of the caller, as <c>GET /v1/webhooks/dead-letters</c> lists it (no URL, no secret).</summary>
public sealed record DeadLetterResource(string EventId, string PayoutId, string Type, string Endpoint, int Attempts,
    DateTimeOffset RecordedAt, DateTimeOffset DeadLetteredAt)
{
    public static DeadLetterResource From(DeadLetter dead) => new(dead.Entry.EventId, dead.Entry.PayoutId, dead.Entry.Type,
        dead.Entry.Endpoint, dead.Entry.Attempts, dead.Entry.RecordedAt, dead.DeadAt);
}

/// <summary>The caller's dead letters, newest first.</summary>
public sealed record DeadLetterListResource(IReadOnlyList<DeadLetterResource> Items);

/// <summary>What a redelivery request did: how many of the event's dead letters (one per endpoint) are due again.</summary>
public sealed record RedeliveryResource(string EventId, int Redelivered);

public static class WebhooksApi
{
    /// <summary>The most dead letters one list answer holds.</summary>
    public const int ListLimit = 100;

    /// <summary>
    /// <c>/v1/webhooks</c>, for client keys only (an on-call key is 403): the caller's own dead-lettered
    /// events (retries ran out), and their redelivery: due again at once, same event id and body, for one
    /// more attempt (the retry window counts from when the event was recorded, so a redelivery that fails
    /// again is dead-lettered again).
    /// </summary>
    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhooks")
            .RequireAuthorization(ApiKeyAuthentication.Policy)
            .WithTags("Webhooks");

        group.MapGet("/dead-letters", ListAsync)
            .WithName("ListWebhookDeadLetters")
            .WithSummary("List this API client's dead-lettered webhook events, newest first (at most 100).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/dead-letters/{eventId}/redeliver", RedeliverAsync)
            .WithName("RedeliverWebhookEvent")
            .WithSummary("Deliver a dead-lettered webhook event of this API client again (same event id and body).")
            .WithDescription("The event is due at once, for one more attempt per endpoint it was dead-lettered at: its retry window still counts "
                + "from when it was recorded (24 h), so an attempt that fails dead-letters it again, no further retries. While the endpoint's "
                + "circuit is open (after failures in a row) the attempt waits for the circuit instead of being dead-lettered untried. "
                + "Dead letters are kept 30 days (WebhookDelivery:DeadLetterRetention); older ones answer 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return group;
    }

    private static async Task<Results<Ok<DeadLetterListResource>, ProblemHttpResult>> ListAsync(HttpContext http, IWebhookOutbox outbox)
    {
        try
        {
            var dead = await outbox.DeadLettersAsync(http.ClientName(), ListLimit);
            return TypedResults.Ok(new DeadLetterListResource([.. dead.Select(DeadLetterResource.From)]));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("Dead letters cannot be read now; retry shortly.");
        }
    }

    private static async Task<Results<Accepted<RedeliveryResource>, ProblemHttpResult>> RedeliverAsync(
        string eventId, HttpContext http, IWebhookOutbox outbox, TimeProvider time)
    {
        if (!eventId.StartsWith("evt_", StringComparison.Ordinal) || eventId.Length > 64)
        {
            return Problems.DeadLetterNotFound(eventId.Length > 64 ? eventId[..64] : eventId);
        }

        try
        {
            var redelivered = await outbox.RedeliverAsync(eventId, http.ClientName(), time.GetUtcNow());
            return redelivered == 0
                ? Problems.DeadLetterNotFound(eventId)
                : TypedResults.Accepted((string?)null, new RedeliveryResource(eventId, redelivered));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("The event cannot be redelivered now; retry shortly.");
        }
    }
}
