using Gateway.Hosting;
using Polly;
using Polly.Retry;

namespace Gateway.Payouts;

/// <summary>
/// The executor's named resilience pipelines, registered once and resolved through
/// <see cref="Polly.Registry.ResiliencePipelineProvider{TKey}"/>. <see cref="Save"/> is the only
/// retry layer for writes of payout state (saves and send intents): while the state store is
/// unavailable it retries with a backoff growing from 100 ms to 2 s, until cancelled. The waits
/// between inquiries and the hand-back's reconciler backoff are not retries: the pure decision
/// function (<see cref="PayoutDecisions"/>) chooses them.
/// </summary>
public static class PayoutPipelines
{
    public const string Save = "payout-save";

    /// <summary>Which payout, and which write ("intent" or the status saved), for the retry log.</summary>
    internal static readonly ResiliencePropertyKey<SaveSubject> Subject = new("payout-save.subject");

    internal sealed record SaveSubject(string PayoutId, string What);

    public static IServiceCollection AddPayoutPipelines(this IServiceCollection services)
    {
        services.AddResiliencePipeline(Save, (builder, context) =>
        {
            var log = context.ServiceProvider.GetRequiredService<ILogger<PayoutExecutor>>();
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex.IsStateStoreFailure()),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    var subject = args.Context.Properties.GetValue(Subject, new SaveSubject("", ""));
                    PayoutLog.SaveRetrying(log, subject.PayoutId, subject.What, args.Outcome.Exception?.GetType().Name ?? "");
                    return ValueTask.CompletedTask;
                },
            });
        });
        return services;
    }
}
