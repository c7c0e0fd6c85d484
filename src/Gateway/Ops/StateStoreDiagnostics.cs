using Gateway.Auth;
using Gateway.Hosting;
using Gateway.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Ops;

/// <summary>
/// On-call's view of the state store's epoch (<see cref="StoreEpoch"/>), in the diagnostics group
/// (on-call keys only, read-only, rate-limited per key); and the one explicit action that ends a data
/// loss, <c>POST /v1/state-store/accept-loss</c>, after reconciling with the partners (docs/runbook.md,
/// StateStoreLost): operator keys only (<see cref="ApiKeyAuthentication.OperatorPolicy"/>), so on-call
/// keys stay read-only as payout-api.md says.
/// </summary>
public static class StateStoreDiagnostics
{
    public static RouteGroupBuilder MapStateStoreDiagnostics(this RouteGroupBuilder group)
    {
        group.MapGet("/state-store", ReadAsync)
            .WithName("StateStoreDiagnostics")
            .WithSummary("The state store's epoch as this instance sees it, and whether Redis lost its data (new payouts refused with 503 state-store-lost).")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    /// <summary><c>POST /v1/state-store/accept-loss</c>, for operator keys only (<c>Auth:OperatorKeys</c>).</summary>
    public static RouteGroupBuilder MapStateStoreOperations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/state-store")
            .RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .WithTags("State store");
        group.MapPost("/accept-loss", AcceptLossAsync)
            .WithName("AcceptStateStoreLoss")
            .WithSummary("An operator accepts a state store data loss after reconciling with the partners: a new epoch, new payouts accepted again (409 when no loss is known).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Results<Ok<StateStoreReport>, ProblemHttpResult>> ReadAsync(StoreEpoch epoch, InstanceIdentity instance)
    {
        try
        {
            return TypedResults.Ok(StateStoreReport.From(await epoch.CheckAsync(), instance));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("The state store's epoch cannot be read now; retry shortly.");
        }
    }

    private static async Task<Results<Ok<StateStoreReport>, ProblemHttpResult>> AcceptLossAsync(
        HttpContext http, StoreEpoch epoch, InstanceIdentity instance)
    {
        try
        {
            if (!(await epoch.CheckAsync()).IsLost)
            {
                return Problems.StateStoreNotLost();
            }

            await epoch.AcceptLossAsync(http.User.Identity?.Name ?? "unknown");
            return TypedResults.Ok(StateStoreReport.From(epoch.Current, instance));
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("The loss could not be accepted now (Redis unavailable); nothing changed. Retry shortly.");
        }
    }
}

/// <summary><c>lost</c> with when and by which instance it was found; <c>epoch</c> is this instance's (null before it read one).</summary>
public sealed record StateStoreReport(string? Epoch, bool Lost, DateTimeOffset? LostSince, string? LostBy, string Instance)
{
    public static StateStoreReport From(StoreEpochState state, InstanceIdentity instance) =>
        new(state.Epoch, state.IsLost, state.LostSince, state.LostBy, instance.Id);
}
