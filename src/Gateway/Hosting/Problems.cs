using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Hosting;

/// <summary>
/// RFC 9457 answers with a stable <c>type</c> per cause (payout-api.md). Every refusal the API
/// gives is built here so the slugs stay in one place.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://gateway.example/problems/";

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, "validation", "The request body is invalid.",
            "One or more fields are invalid; see errors. Nothing was stored.",
            new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult IdempotencyKeyMissing(string detail) =>
        Create(StatusCodes.Status400BadRequest, "idempotency-key-missing", "Idempotency-Key is missing or malformed.", detail);

    public static ProblemHttpResult IdempotencyKeyInUse(string payoutId) =>
        Create(StatusCodes.Status409Conflict, "idempotency-key-in-use", "A request with this Idempotency-Key is still being processed.",
            $"Payout {payoutId} is still being processed by an earlier request; retry after the Retry-After delay.");

    public static ProblemHttpResult IdempotencyKeyReused(string payoutId) =>
        Create(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "This Idempotency-Key was used with a different body.",
            $"The key already belongs to payout {payoutId} with a different request body. Nothing was sent.");

    /// <summary>The claim's reply was lost (a timeout after the write may have committed): say exactly that.</summary>
    public static ProblemHttpResult ClaimOutcomeUnknown(string payoutId) =>
        StateStoreUnavailable($"The state store did not confirm whether payout {payoutId} was recorded: the outcome is unknown, "
            + "and it may still be sent. Retry with the same Idempotency-Key to learn its status; that retry cannot pay twice. "
            + "Do not resubmit it with another key.");

    public static ProblemHttpResult ClaimNotReplicated(string payoutId) =>
        StateStoreUnavailable($"Payout {payoutId} was recorded, but no Redis replica confirmed it in time, so it was not sent now. "
            + "If it survives, the gateway processes it shortly; if a failover lost it, a retry creates it again. "
            + "Retry with the same Idempotency-Key to learn its status; that retry cannot pay twice.");

    public static ProblemHttpResult StateStoreUnavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "state-store-unavailable", "The payout state store is unavailable.", detail);

    /// <summary>Seconds a client should wait before retrying after <see cref="StateStoreLost"/>.</summary>
    public const string StateStoreLostRetryAfter = "30";

    /// <summary>
    /// The state store lost its data (Redis restarted empty, a flush, a failover to an empty node):
    /// the gateway cannot tell whether a key was answered before, so it creates nothing and reports
    /// nothing as absent until Redis is restored or an operator accepts the loss.
    /// </summary>
    public static ProblemHttpResult StateStoreLost(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "state-store-lost", "The payout state store lost its data.",
            detail + " On-call has been alerted; retry later with the same Idempotency-Key.");

    public static ProblemHttpResult StateStoreNotLost() =>
        Create(StatusCodes.Status409Conflict, "state-store-not-lost", "The state store has not lost its data.",
            "No loss is known (every shard holds the current epoch), so there is nothing to accept. Nothing changed.");

    public static ProblemHttpResult PayloadTooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The request body is too large.",
            $"The body must be at most {limit} bytes. Nothing was stored.");

    public static ProblemHttpResult UnsupportedMediaType() =>
        Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The request body must be JSON.",
            "Send Content-Type: application/json. Nothing was stored.");

    public static ProblemHttpResult NotFound(string id) =>
        Create(StatusCodes.Status404NotFound, "payout-not-found", "No such payout.", $"No payout {id} exists for this API client.");

    public static ProblemHttpResult DeadLetterNotFound(string eventId) =>
        Create(StatusCodes.Status404NotFound, "dead-letter-not-found", "No such dead-lettered event.",
            $"No dead-lettered webhook event {eventId} exists for this API client (never dead-lettered, already redelivered, or another client's).");

    public static ProblemHttpResult Overloaded() =>
        Create(StatusCodes.Status429TooManyRequests, "overloaded", "The gateway is shedding load.",
            "Too many payouts are being submitted at once. Nothing was stored; retry after the Retry-After delay with the same Idempotency-Key.");

    public static ProblemHttpResult UnknownPartner(string partner) =>
        Create(StatusCodes.Status404NotFound, "partner-not-found", "No such partner.",
            $"The gateway has no pass-through route for partner '{partner}'.");

    public static ProblemHttpResult PartnerQuotaExceeded(string partner) =>
        Create(StatusCodes.Status429TooManyRequests, "partner-quota-exceeded", "The partner's quota is used up.",
            $"Calls to {partner} are over its configured rate (Partners:{partner}:RateLimit); nothing was sent. Retry after the indicated delay.");

    public static ProblemHttpResult PassThroughNotAllowed(string partner) =>
        Create(StatusCodes.Status403Forbidden, "passthrough-not-allowed", "This call is not on the partner's pass-through allow-list.",
            $"The pass-through forwards only {partner}'s allow-listed read and check calls, by exact method and path, without query. "
            + "Nothing was signed or forwarded. Payouts are submitted with POST /v1/payouts.");

    public static ProblemHttpResult PassThroughRateLimited(string client) =>
        Create(StatusCodes.Status429TooManyRequests, "passthrough-rate-limited", "This client's pass-through rate is used up.",
            $"Client {client} is over its pass-through rate (Proxy:ClientRateLimit); nothing was sent. Retry after the Retry-After delay.");

    /// <summary>403 for a key whose <paramref name="role"/> (<see cref="Auth.ApiKeyRoles"/>) may not call this endpoint, saying what it may do.</summary>
    public static ProblemHttpResult Forbidden(string? role) =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "This key's role may not do this.",
            role switch
            {
                Auth.ApiKeyRoles.OnCall => "An on-call key is read-only: it may only read /v1/diagnostics (and open /ops); it may not submit or list payouts, use the pass-through or accept a state store loss (an operator key does). Nothing was stored or forwarded.",
                Auth.ApiKeyRoles.Operator => "An operator key may only accept a state store data loss (POST /v1/state-store/accept-loss). Nothing was stored or forwarded.",
                _ => "A client key may submit and read its own payouts and use the pass-through; /v1/diagnostics needs an on-call key. Nothing was stored or forwarded.",
            });

    public static ProblemHttpResult ClientRateLimited(string detail) =>
        Create(StatusCodes.Status429TooManyRequests, "client-rate-limited", "This API client is over its own limit.",
            detail + " Other clients are not affected. Nothing was stored; retry after the Retry-After delay with the same Idempotency-Key.");

    public static ProblemHttpResult DiagnosticsRateLimited(string key) =>
        Create(StatusCodes.Status429TooManyRequests, "diagnostics-rate-limited", "This on-call key's diagnostics rate is used up.",
            $"On-call key {key} is over its diagnostics rate (Ops:DiagnosticsRateLimit). Retry after the Retry-After delay.");

    public static ProblemHttpResult RequestBodyTimeout(TimeSpan limit) =>
        Create(StatusCodes.Status408RequestTimeout, "request-body-timeout", "The request body arrived too slowly.",
            $"The whole body must arrive within {limit.TotalSeconds:0.###} s. Nothing was stored; send it again with the same Idempotency-Key.");

    public static ProblemHttpResult ShuttingDown() =>
        Create(StatusCodes.Status503ServiceUnavailable, "shutting-down", "This gateway instance is shutting down.",
            "The payout was not recorded and nothing was sent. Retry after the Retry-After delay with the same Idempotency-Key; another instance will take it.");

    private static ProblemHttpResult Create(int status, string slug, string title, string detail,
        IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + slug, extensions: extensions);
}
