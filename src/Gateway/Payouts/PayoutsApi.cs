using Gateway.Auth;
using Gateway.Diagnosis;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Gateway.Storage;
using Gateway.Core;

namespace Gateway.Payouts;

public static class PayoutsApi
{
    /// <summary>
    /// <c>/v1/payouts</c>, for client keys only (<see cref="ApiKeyAuthentication.Policy"/>; an on-call
    /// key is 403): submit, and read this client's own payouts. Submissions are limited per client
    /// and for the gateway by <see cref="SubmissionLimits"/> once their body is read.
    /// </summary>
    public static RouteGroupBuilder MapPayoutsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/payouts")
            .RequireAuthorization(ApiKeyAuthentication.Policy)
            .WithTags("Payouts");

        group.MapPost("/", SubmitAsync)
            .WithName("SubmitPayout")
            .WithSummary("Submit a payout, at most once per Idempotency-Key.")
            .Produces<PayoutResource>(StatusCodes.Status201Created)
            .Produces<PayoutResource>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/", ListAsync)
            .WithName("ListPayouts")
            .WithSummary("List this API client's payouts, newest first, with filters and a cursor.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/{id}", GetAsync)
            .WithName("GetPayout")
            .WithSummary("Read a payout of this API client.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return group;
    }

    private static Task<IResult> SubmitAsync(HttpContext http, PayoutSubmission submission, CancellationToken cancellationToken) =>
        submission.SubmitAsync(http, cancellationToken);

    private static async Task<Results<Ok<PayoutListResource>, ProblemHttpResult>> ListAsync(
        HttpContext http, PayoutList list, CauseCatalogue causes,
        string? status, string? category, string? cause, string? partner, string? since, string? limit, string? cursor)
    {
        var (filter, errors) = PayoutListQuery.Read(http.ClientName(), causes, status, category, cause, partner, since, limit, cursor);
        if (filter is null)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var page = await list.ReadAsync(filter);
            return TypedResults.Ok(new PayoutListResource([.. page.Items.Select(PayoutResource.From)], page.Next?.Encode()));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("Payouts cannot be read now; retry shortly.");
        }
    }

    private static async Task<Results<Ok<PayoutResource>, ProblemHttpResult>> GetAsync(
        string id, HttpContext http, PayoutStore store, StoreEpoch epoch)
    {
        if (!PayoutId.LooksValid(id))
        {
            return Problems.NotFound(id);
        }

        StoredPayout? stored;
        try
        {
            stored = await store.GetAsync(id);
            if (stored is null && !await epoch.IsShardIntactAsync(PayoutKeys.ShardOf(id)))
            {
                // The store lost its data: "no such payout" would be a claim the gateway cannot make.
                epoch.CountRefusal();
                http.Response.Headers.RetryAfter = Problems.StateStoreLostRetryAfter;
                return Problems.StateStoreLost($"Payout {id} is not in the state store, which lost its data: it may exist.");
            }
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("Payout state cannot be read now; retry shortly.");
        }

        // Another client's payout is as unknown as a missing one.
        return stored is null || stored.Client != http.ClientName()
            ? Problems.NotFound(id)
            : TypedResults.Ok(PayoutResource.From(stored.Payout));
    }
}

/// <summary><c>{ "items": [...], "nextCursor": "..." }</c>; no cursor on the last page.</summary>
public sealed record PayoutListResource(
    IReadOnlyList<PayoutResource> Items,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);
