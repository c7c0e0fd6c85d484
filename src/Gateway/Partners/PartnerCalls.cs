using Gateway.Diagnosis;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Gateway.Core;

namespace Gateway.Partners;

/// <summary>Thrown by a disbursement's admission check: nothing was sent, and the caller must not go on with the payout.</summary>
public sealed class SendRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs partner calls through the partner's own pipelines (<see cref="Partner.Disburse"/>,
/// <see cref="Partner.Inquiry"/>), records every attempt, and turns transport failures into
/// answers: a refused connection or an open circuit proves nothing was sent; a timeout or reset
/// after sending is an unknown outcome. A call looks nothing up by name and allocates no closure:
/// the callbacks are static and take their state as a tuple.
/// </summary>
public sealed class PartnerCalls(
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<PartnerCalls> log)
{
    /// <summary>
    /// Sends a disbursement. <paramref name="beforeEachAttempt"/>, when given, runs before every
    /// attempt the pipeline makes (the first and each retry): the executor records its write-ahead
    /// intent there, and an exception it throws stops the call before anything is sent.
    /// </summary>
    public async Task<PartnerAnswer> DisburseAsync(Partner partner, DisbursementOrder order,
        List<Attempt> attempts, CancellationToken cancellationToken, Func<CancellationToken, Task>? beforeEachAttempt = null)
    {
        try
        {
            return await partner.Disburse.ExecuteAsync(
                static async (state, token) =>
                {
                    if (state.beforeEachAttempt is { } admit)
                    {
                        await admit(token);
                    }

                    return await state.self.RecordAsync(state.partner, PartnerCallStats.Disburse, state.order.Reference, state.order,
                        state.attempts, token);
                },
                (self: this, partner, order, attempts, beforeEachAttempt), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not SendRefusedException)
        {
            var answer = FromException(ex);
            if (ex is BrokenCircuitException or RateLimiterRejectedException)
            {
                attempts.Add(new Attempt { Partner = partner.Name, At = time.GetUtcNow(), ElapsedMs = 0, Outcome = answer.Label });
            }

            return answer;
        }
    }

    public async Task<PartnerAnswer> InquireAsync(Partner partner, string reference,
        List<Attempt> attempts, CancellationToken cancellationToken)
    {
        try
        {
            return await partner.Inquiry.ExecuteAsync(
                static (state, token) => new ValueTask<PartnerAnswer>(
                    state.self.RecordAsync(state.partner, PartnerCallStats.Inquiry, state.reference, null, state.attempts, token)),
                (self: this, partner, reference, attempts), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return FromInquiryException(ex);
        }
    }

    /// <summary>One attempt: a disbursement of <paramref name="order"/>, or without one an inquiry about <paramref name="reference"/>.</summary>
    private async Task<PartnerAnswer> RecordAsync(Partner partner, string call, string reference, DisbursementOrder? order,
        List<Attempt> attempts, CancellationToken token)
    {
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        // The partner's HTTP call (HttpClient instrumentation) is this span's child.
        var span = PayoutTracing.StartCall(order is not null, reference, partner.Name, attempts.Count + 1);
        PartnerAnswer? answer = null;
        var threw = true;
        try
        {
            answer = order is not null
                ? await partner.Client.DisburseAsync(order, token)
                : await partner.Client.InquireAsync(reference, token);
            threw = false;
            return answer;
        }
        catch (Exception ex) when (RefitTransport.Unwrap(ex) is var inner && !ReferenceEquals(inner, ex))
        {
            answer = order is not null ? FromException(inner) : FromInquiryException(inner);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
        catch (Exception ex)
        {
            answer = order is not null ? FromException(ex) : FromInquiryException(ex);
            throw;
        }
        finally
        {
            var duration = time.GetElapsedTime(started);
            var elapsed = (long)duration.TotalMilliseconds;
            partner.Stats.Record(call, elapsed);
            metrics.PartnerCallFinished(partner.Name, call, answer!.Label, duration);
            var attempt = new Attempt
            {
                Partner = partner.Name,
                At = at,
                ElapsedMs = elapsed,
                Outcome = order is null && answer!.Outcome is not PartnerOutcome.Unknown ? "inquiry" : answer!.Label,
                PartnerCode = answer.PartnerCode,
                PartnerStatus = answer.PartnerStatus,
                HttpStatus = answer.HttpStatus,
            };
            lock (attempts)
            {
                attempts.Add(attempt);
            }

            PartnerLog.AttemptFinished(log, partner.Name, call, attempts.Count, reference, answer.Label,
                answer.PartnerCode, answer.PartnerStatus, answer.HttpStatus, elapsed);
            PayoutTracing.Finish(span, answer.Label, failed: threw);
        }
    }

    /// <summary>
    /// An inquiry that got no answer (refused, reset, timed out, circuit open, over quota) says
    /// nothing about the payout, only that the question did not get through: its outcome is
    /// unknown, so the payout keeps what was known and is asked about again. Read as a disbursement's
    /// failure, a refused inquiry would "prove" that an executed payout was never received (found by
    /// the chaos suite's partner-down scenario).
    /// </summary>
    internal static PartnerAnswer FromInquiryException(Exception exception) =>
        FromException(exception) with { Outcome = PartnerOutcome.Unknown };

    /// <summary>The one place a disbursement's transport failures are read (cf. HttpClientResiliencePredicates).</summary>
    internal static PartnerAnswer FromException(Exception exception) => exception switch
    {
        BrokenCircuitException => new PartnerAnswer
        {
            Outcome = PartnerOutcome.NotExecuted, Label = "circuit_open", Cause = Causes.PartnerCircuitOpen,
        },
        RateLimiterRejectedException rejected => new PartnerAnswer
        {
            Outcome = PartnerOutcome.NotExecuted, Label = "rate_limited", Cause = Causes.PartnerRateLimited,
            RetryAfter = rejected.RetryAfter, PartnerMessage = "refused by the gateway: the partner's quota is used up",
        },
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => new PartnerAnswer
        {
            Outcome = PartnerOutcome.NotExecuted, Label = "refused", Cause = Causes.PartnerUnavailable,
        },
        TimeoutRejectedException or OperationCanceledException => new PartnerAnswer
        {
            Outcome = PartnerOutcome.Unknown, Label = "timeout", Cause = Causes.PartnerTimeout,
        },
        PartnerMalformedResponseException malformed => new PartnerAnswer
        {
            Outcome = PartnerOutcome.Unknown, Label = "malformed", Cause = Causes.PartnerMalformedResponse,
            HttpStatus = malformed.HttpStatus, PartnerMessage = malformed.Message,
        },
        _ => new PartnerAnswer
        {
            Outcome = PartnerOutcome.Unknown, Label = "unavailable", Cause = Causes.PartnerUnavailable,
            PartnerMessage = exception.GetType().Name,
        },
    };
}
