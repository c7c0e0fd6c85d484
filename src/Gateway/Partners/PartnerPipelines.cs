using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;
using Microsoft.Extensions.Logging.Abstractions;
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
/// Both pipelines report Polly's telemetry (<see cref="Telemetry"/>): the <c>Polly</c> meter's
/// <c>resilience.polly.strategy.events</c> (retries, timeouts, breaker transitions, quota
/// rejections), <c>resilience.polly.pipeline.duration</c> and <c>resilience.polly.strategy.attempt.duration</c>,
/// tagged with the pipeline name (<c>&lt;partner&gt;:disburse</c>, <c>&lt;partner&gt;:inquiry</c>) and the strategy names below.
/// Game-day chaos (<c>Chaos:*</c>, never in Production) sits below both, in the partner's HttpClient
/// (<see cref="Chaos.ChaosHandler"/>), so everything here sees an injected fault as a real one.
/// </summary>
public static class PartnerPipelines
{
    internal static ResiliencePipeline<PartnerAnswer> Disburse(string partner, PartnerOptions options, PartnerCircuit circuit,
        PartnerQuota? quota, TimeProvider time, ILogger log)
    {
        var builder = new ResiliencePipelineBuilder<PartnerAnswer> { Name = partner + ":disburse", TimeProvider = time }
            .ConfigureTelemetry(Telemetry)
            .AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalTimeout });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<PartnerAnswer>
            {
                Name = "retry",
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
                Name = "breaker",
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
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.Timeout })
            .Build();
    }

    internal static ResiliencePipeline<PartnerAnswer> Inquiry(string partner, PartnerOptions options, TimeProvider time) =>
        new ResiliencePipelineBuilder<PartnerAnswer> { Name = partner + ":inquiry", TimeProvider = time }
            .ConfigureTelemetry(Telemetry)
            .AddRetry(new RetryStrategyOptions<PartnerAnswer>
            {
                Name = "retry",
                MaxRetryAttempts = 2,
                ShouldHandle = static args => ValueTask.FromResult(InquiryFailed(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.Timeout })
            .Build();

    /// <summary>
    /// Metrics only: no logger, since breaker transitions are logged by <see cref="PartnerLog"/> and
    /// each call's outcome by <see cref="PartnerCalls"/>; Polly's own event logs would repeat them.
    /// </summary>
    internal static readonly TelemetryOptions Telemetry = new() { LoggerFactory = NullLoggerFactory.Instance };

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
