using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Gateway.Core;

namespace Gateway.Partners;

/// <summary>
/// A partner's two Polly pipelines, built once per partner into its <see cref="Partner"/>, so one
/// partner's outage never opens another's circuit and no call looks a pipeline up.
/// Disbursement: total timeout → retry (only where nothing executed) → rate limiter (the partner's
/// quota, only when one is configured; a refusal is never sent) → circuit breaker → attempt timeout.
/// No hedging: a second concurrent send of money is never wanted.
/// Inquiry (a GET, safe to repeat): attempt timeout with a few retries, outside the breaker so
/// an open circuit never stops us from learning what happened.
/// Predicates and delay generators are static: a call allocates no closure.
/// </summary>
public static class PartnerPipelines
{
    internal static ResiliencePipeline<PartnerAnswer> Disburse(string partner, PartnerOptions options, PartnerCircuit circuit,
        PartnerQuota? quota, TimeProvider time, ILogger log)
    {
        var builder = new ResiliencePipelineBuilder<PartnerAnswer> { Name = partner + ":disburse", TimeProvider = time }
            .AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<PartnerAnswer>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = static args => ValueTask.FromResult(ProvesNothingExecuted(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
            });
        }

        if (quota is not null)
        {
            builder.AddRateLimiter(quota.Strategy());
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<PartnerAnswer>
            {
                FailureRatio = options.Breaker.FailureRatio,
                MinimumThroughput = options.Breaker.MinimumThroughput,
                SamplingDuration = options.Breaker.SamplingDuration,
                BreakDuration = options.Breaker.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(IsPartnerFault(args.Outcome)),
                OnOpened = args =>
                {
                    circuit.Opened(args.BreakDuration);
                    PartnerLog.CircuitOpened(log, partner, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    circuit.HalfOpened();
                    PartnerLog.CircuitHalfOpened(log, partner);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    circuit.Closed();
                    PartnerLog.CircuitClosed(log, partner);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    internal static ResiliencePipeline<PartnerAnswer> Inquiry(string partner, PartnerOptions options, TimeProvider time) =>
        new ResiliencePipelineBuilder<PartnerAnswer> { Name = partner + ":inquiry", TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<PartnerAnswer>
            {
                MaxRetryAttempts = 2,
                ShouldHandle = static args => ValueTask.FromResult(InquiryFailed(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
            })
            .AddTimeout(options.Timeout)
            .Build();

    /// <summary>Retry only what cannot have executed: throttling and maintenance answers, and refused connections.</summary>
    internal static bool ProvesNothingExecuted(Outcome<PartnerAnswer> outcome) =>
        outcome.Result is { Outcome: PartnerOutcome.NotExecuted, Retryable: true }
        || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    /// <summary>What counts against the breaker: the partner not answering properly. Business rejections do not.</summary>
    internal static bool IsPartnerFault(Outcome<PartnerAnswer> outcome) => outcome.Exception switch
    {
        null => outcome.Result?.Outcome == PartnerOutcome.Unknown,
        OperationCanceledException => false,
        SendRefusedException => false,
        _ => true,
    };

    /// <summary>An inquiry is repeated when it told nothing: a transport failure, a timeout, an unreadable or unknown answer.</summary>
    private static bool InquiryFailed(Outcome<PartnerAnswer> outcome) =>
        outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException or PartnerMalformedResponseException
        || outcome.Result?.Outcome == PartnerOutcome.Unknown;
}
