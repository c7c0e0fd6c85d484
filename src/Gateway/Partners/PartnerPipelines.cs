using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;
using Gateway.Core;

namespace Gateway.Partners;

/// <summary>
/// One Polly pipeline per partner, keyed by name, so one partner's outage never opens another's
/// circuit. Disbursement: total timeout → retry (only where nothing executed) → rate limiter
/// (the partner's quota; a refusal is never sent) → circuit breaker → attempt timeout. No hedging: a second concurrent send of money is never wanted.
/// Inquiry (a GET, safe to repeat): attempt timeout with a few retries, outside the breaker so
/// an open circuit never stops us from learning what happened.
/// </summary>
public static class PartnerPipelines
{
    public static string DisburseKey(string partner) => partner + ":disburse";

    public static string InquiryKey(string partner) => partner + ":inquiry";

    public static IServiceCollection AddPartnerPipelines<TOptions>(this IServiceCollection services, string partner)
        where TOptions : PartnerOptions
    {
        services.AddResiliencePipeline<string, PartnerAnswer>(DisburseKey(partner), (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
            var circuits = context.ServiceProvider.GetRequiredService<PartnerCircuits>();
            var limiters = context.ServiceProvider.GetRequiredService<PartnerRateLimiters>();
            var log = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PartnerPipelines));
            builder
                .AddTimeout(options.TotalTimeout)
                .AddRetry(new RetryStrategyOptions<PartnerAnswer>
                {
                    MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                    ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && ProvesNothingExecuted(args.Outcome)),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryDelay,
                    MaxDelay = TimeSpan.FromSeconds(10),
                    DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                })
                .AddRateLimiter(limiters.For(partner))
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<PartnerAnswer>
                {
                    FailureRatio = options.Breaker.FailureRatio,
                    MinimumThroughput = options.Breaker.MinimumThroughput,
                    SamplingDuration = options.Breaker.SamplingDuration,
                    BreakDuration = options.Breaker.BreakDuration,
                    ShouldHandle = args => ValueTask.FromResult(IsPartnerFault(args.Outcome)),
                    OnOpened = args =>
                    {
                        circuits.Opened(partner, args.BreakDuration);
                        PartnerLog.CircuitOpened(log, partner, args.BreakDuration.TotalSeconds);
                        return ValueTask.CompletedTask;
                    },
                    OnHalfOpened = _ =>
                    {
                        circuits.HalfOpened(partner);
                        PartnerLog.CircuitHalfOpened(log, partner);
                        return ValueTask.CompletedTask;
                    },
                    OnClosed = _ =>
                    {
                        circuits.Closed(partner);
                        PartnerLog.CircuitClosed(log, partner);
                        return ValueTask.CompletedTask;
                    },
                })
                .AddTimeout(options.Timeout);
        });

        services.AddResiliencePipeline<string, PartnerAnswer>(InquiryKey(partner), (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
            builder.AddRetry(new RetryStrategyOptions<PartnerAnswer>
            {
                MaxRetryAttempts = 2,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is HttpRequestException or TimeoutRejectedException or PartnerMalformedResponseException
                    || args.Outcome.Result?.Outcome == PartnerOutcome.Unknown),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
            })
            .AddTimeout(options.Timeout);
        });
        return services;
    }

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
}
