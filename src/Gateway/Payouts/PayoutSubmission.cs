using System.Text.Json;
using Gateway.Auth;
using Gateway.Hosting;
using Gateway.Idempotency;
using Gateway.Partners;
using Gateway.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Gateway.Storage;
using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>
/// The submit flow of <c>POST /v1/payouts</c>: read the body (within a deadline), take a slot
/// from the client's and the gateway's limits, validate, claim the key (which records the payout
/// before any partner hears of it), execute within the sync budget, answer.
/// </summary>
public sealed class PayoutSubmission(
    IdempotencyStore idempotency,
    PayoutIds ids,
    PayoutStore store,
    PayoutExecutions executions,
    PartnerRegistry partners,
    PayoutRouter router,
    SubmissionLimits limits,
    InstanceIdentity instance,
    StoreEpoch epoch,
    TimeProvider time,
    IOptions<PayoutsOptions> options,
    ILogger<PayoutSubmission> log)
{
    public const int MaxBodyBytes = 64 * 1024;

    public async Task<IResult> SubmitAsync(HttpContext http, CancellationToken cancellationToken)
    {
        // A stopping instance records nothing new: it could not see the execution through.
        if (executions.IsDraining)
        {
            http.Response.Headers.RetryAfter = GracefulShutdown.RetryAfterSeconds;
            return Problems.ShuttingDown();
        }

        if (!IsJson(http.Request.ContentType))
        {
            return Problems.UnsupportedMediaType();
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return Problems.PayloadTooLarge(MaxBodyBytes);
        }

        var (key, keyProblem) = IdempotencyKey.Read(http.Request.Headers);

        var (body, readProblem) = await ReadBodyAsync(http, cancellationToken);
        if (readProblem is not null)
        {
            return readProblem;
        }

        if (body!.TooLarge)
        {
            return Problems.PayloadTooLarge(MaxBodyBytes);
        }

        // The slot is taken only now: a slow upload holds a connection, never a submission slot.
        var client = http.ClientName();
        var admission = limits.TryAdmit(client);
        if (admission.Slot is not { } slot)
        {
            body.Json?.Dispose();
            http.Response.Headers.RetryAfter = admission.RetryAfterSeconds;
            return admission.Refusal!;
        }

        using var held = slot;
        if (key is null)
        {
            return Problems.IdempotencyKeyMissing(keyProblem!);
        }

        if (body.Json is not { } json)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["$"] = [body.Error ?? "The body is not valid JSON."] });
        }

        var (request, errors) = PayoutRequestReader.Read(json.RootElement, options.Value.MaxAmount, partners);
        json.Dispose();
        if (request is null)
        {
            return Problems.Validation(errors);
        }

        try
        {
            // Before the id secret: on a store that lost its data, a shared secret must not be created anew.
            if (await epoch.EnsureKnownAsync() is null)
            {
                return RefuseStoreLost(http, ids.TryDerive(client, key), client);
            }

            await ids.EnsureReadyAsync();
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return Problems.StateStoreUnavailable("The payout could not be recorded, so it was not sent. Retry later with the same Idempotency-Key.");
        }

        var id = ids.Derive(client, key);
        var fingerprint = body.Fingerprint!;
        // Tells this request's claim from a concurrent duplicate's when the claim's reply is lost (UnknownClaim).
        var claimId = Random.Shared.NextInt64().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var payout = new PayoutRecord
        {
            Id = id,
            Client = client,
            LoanId = request.LoanId,
            Amount = request.Amount,
            Currency = request.Currency,
            Beneficiary = request.Beneficiary,
            Status = PayoutStatus.Processing,
            Partner = router.Choose(request.Partner),
            Routed = request.Partner is null,
            CreatedAt = time.GetUtcNow(),
            Metadata = request.Metadata,
            Trace = PayoutTracing.CurrentTraceParent(),
            Claim = claimId,
        };

        // The submission's own events (accepted, replayed, claim outcomes) carry the loan too.
        using var scope = log.BeginScope(new Dictionary<string, object> { ["LoanId"] = payout.LoanId });
        var firstIntent = new SendIntent(payout.Partner, payout.CreatedAt, 1);
        ClaimResult claim;
        using (var claiming = PayoutTracing.Start(PayoutTracing.Claim, id))
        {
            try
            {
                // After a rotation of Payouts:IdSecret, a key used before it keeps its payout.
                if (ids.Previous(client, key) is { Count: > 0 } previous && await idempotency.FindExistingAsync(previous) is { } existing)
                {
                    id = existing;
                    payout = payout with { Id = id };
                }

                // The first send's write-ahead intent rides in the claim: the send needs no write of its own.
                claim = await idempotency.ClaimAsync(payout, fingerprint, options.Value.SyncBudget + InFlightMargin, firstIntent);
                if (claim.Outcome == ClaimOutcome.StoreLost && !(await epoch.RecheckAsync()).IsLost)
                {
                    // The marker changed under this instance's epoch: on-call accepted a loss; claim under the new one.
                    claim = await idempotency.ClaimAsync(payout, fingerprint, options.Value.SyncBudget + InFlightMargin, firstIntent);
                }
            }
            catch (Exception ex) when (ex.IsStateStoreTimeout())
            {
                // The script may have committed: find out, or say that nobody knows.
                var (decided, answer) = await AfterUnknownClaimAsync(http, id, fingerprint, claimId);
                if (answer is not null)
                {
                    return answer;
                }

                claim = decided!;
            }
            catch (Exception ex) when (ex.IsStateStoreFailure())
            {
                return Problems.StateStoreUnavailable("The payout could not be recorded, so it was not sent. Retry later with the same Idempotency-Key.");
            }

            PayoutTracing.Finish(claiming, claim.Outcome.ToString());
        }

        switch (claim.Outcome)
        {
            case ClaimOutcome.StoreLost:
                return RefuseStoreLost(http, id, client);
            case ClaimOutcome.Mismatch:
                return Problems.IdempotencyKeyReused(id);
            case ClaimOutcome.InFlight:
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(claim.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problems.IdempotencyKeyInUse(id);
            case ClaimOutcome.Replay:
                PayoutLog.Replayed(log, id, client, claim.Current!.Status.ToString());
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(PayoutResource.From(claim.Current));
        }

        if (!await ConfirmDurableAsync(id))
        {
            // Not yet safe on a replica: no partner hears of it from here. The reconciler takes it
            // over once the lease lapses, if a failover has not lost it.
            await ReleaseQuietlyAsync(id);
            return Problems.ClaimNotReplicated(id);
        }

        if (log.IsEnabled(LogLevel.Information))
        {
            PayoutLog.Accepted(log, id, payout.Partner, client, Masking.AccountNumber(payout.Beneficiary.AccountNumber));
        }

        PayoutRecord? current = null;
        try
        {
            // The claim (or the claim whose reply was lost) recorded the payout with its first intent.
            var recorded = new StoredPayout(payout, client, 1) { Intents = [firstIntent] };
            var execution = executions.Start(recorded, fingerprint);
            current = await WaitWithinBudgetAsync(execution, id, cancellationToken);
            return current is null
                ? Problems.StateStoreUnavailable($"Payout {id} was recorded and is being processed, but its state cannot be read now. Retry with the same Idempotency-Key to read it.")
                : TypedResults.Created($"/v1/payouts/{id}", PayoutResource.From(current));
        }
        finally
        {
            // The final save ended the in-flight marker already; a payout still processing ends it here.
            if (current is not { IsFinal: true })
            {
                await ReleaseQuietlyAsync(id);
            }
        }
    }

    private static readonly TimeSpan InFlightMargin = TimeSpan.FromSeconds(5);

    /// <summary>503 state-store-lost: Redis lost its data, so whether the key was answered before is unknown; nothing recorded or sent.</summary>
    private ProblemHttpResult RefuseStoreLost(HttpContext http, string? id, string client)
    {
        epoch.CountRefusal();
        PayoutLog.RefusedStoreLost(log, id ?? "(id not derivable yet)", client);
        http.Response.Headers.RetryAfter = Problems.StateStoreLostRetryAfter;
        return Problems.StateStoreLost(id is null
            ? "The gateway cannot tell whether this Idempotency-Key was answered before the loss, so nothing was recorded or sent."
            : $"The gateway cannot tell whether the Idempotency-Key of payout {id} was answered before the loss, so nothing was recorded or sent.");
    }

    /// <summary>
    /// A claim whose reply timed out: one read decides (<see cref="UnknownClaim"/>). Either a claim
    /// result to go on with, or the answer to give.
    /// </summary>
    private async Task<(ClaimResult? Claim, IResult? Answer)> AfterUnknownClaimAsync(HttpContext http, string id, string fingerprint, string claimId)
    {
        StoredPayout? stored = null;
        string? lease = null;
        var readable = true;
        try
        {
            (stored, lease) = await store.GetWithLeaseAsync(id);
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            readable = false;
        }

        PayoutLog.ClaimOutcomeUnknown(log, id, readable && stored is not null);
        switch (UnknownClaim.Decide(readable, stored, lease, fingerprint, PayoutLeases.Value(instance, 1), claimId))
        {
            case UnknownClaimStep.Continue:
                return (new ClaimResult(ClaimOutcome.Created, stored!.Payout), null);
            case UnknownClaimStep.Replay:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return (null, TypedResults.Ok(PayoutResource.From(stored!.Payout)));
            case UnknownClaimStep.Mismatch:
                return (null, Problems.IdempotencyKeyReused(id));
            case UnknownClaimStep.InFlight:
                http.Response.Headers.RetryAfter = "1";
                return (null, Problems.IdempotencyKeyInUse(id));
            default:
                return (null, Problems.ClaimOutcomeUnknown(id));
        }
    }

    /// <summary>The body within <see cref="PayoutsOptions.BodyReadTimeout"/>, or the 408/400/413 to answer.</summary>
    private async Task<(BodyReader.Body? Body, IResult? Problem)> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var limit = options.Value.BodyReadTimeout;
        using var deadline = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return (await BodyReader.ReadAsync(http.Request.Body, MaxBodyBytes, linked.Token), null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            SubmissionLog.BodyTooSlow(log, http.ClientName(), limit.TotalSeconds);
            return (null, Problems.RequestBodyTimeout(limit));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits: the minimum data rate (408), the size limit (413), a broken framing (400).
            return (null, ex.StatusCode switch
            {
                StatusCodes.Status408RequestTimeout => Problems.RequestBodyTimeout(limit),
                StatusCodes.Status413PayloadTooLarge => Problems.PayloadTooLarge(MaxBodyBytes),
                _ => Problems.Validation(new Dictionary<string, string[]> { ["$"] = ["The body could not be read."] }),
            });
        }
    }

    private async Task<PayoutRecord?> WaitWithinBudgetAsync(Task<PayoutRecord> execution, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await execution.WaitAsync(options.Value.SyncBudget, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The budget is spent: answer with what is stored; the execution goes on.
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The host is stopping, or the execution broke: the payout stays processing, as stored.
        }

        try
        {
            return (await store.GetAsync(id))?.Payout;
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            return null;
        }
    }

    /// <summary>Whether the claim reached the replicas asked for (<c>Redis:ClaimReplicas</c>); a Redis failure is a no.</summary>
    private async Task<bool> ConfirmDurableAsync(string id)
    {
        try
        {
            if (await idempotency.ConfirmDurableAsync(id))
            {
                return true;
            }
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            // As unconfirmed.
        }

        PayoutLog.ClaimNotReplicated(log, id);
        return false;
    }

    private async Task ReleaseQuietlyAsync(string id)
    {
        try
        {
            await idempotency.ReleaseAsync(id);
        }
        catch (Exception ex) when (ex.IsStateStoreFailure())
        {
            // The in-flight marker expires by itself.
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads at most a limit of bytes and parses them, refusing duplicate or trailing content.</summary>
internal static class BodyReader
{
    internal sealed record Body(bool TooLarge, JsonDocument? Json, string? Fingerprint, string? Error);

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static async Task<Body> ReadAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        // A pooled buffer for the read; the document keeps only an exact copy (a payout is a few hundred bytes, the limit 64 KiB).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(limit + 1);
        byte[] content;
        try
        {
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total, limit + 1 - total), cancellationToken)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    return new Body(true, null, null, null);
                }
            }

            content = buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        try
        {
            var document = JsonDocument.Parse(content, DocumentOptions);
            return new Body(false, document, RequestFingerprint.Compute(document.RootElement), null);
        }
        catch (JsonException ex)
        {
            return new Body(false, null, null, $"The body is not valid JSON: {ex.Message}");
        }
    }
}
