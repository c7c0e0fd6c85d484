using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Gateway.Core;

namespace Gateway.Payouts;

/// <summary>
/// Limits on <c>POST /v1/payouts</c>, taken only once the body has been read (a slow upload
/// holds no slot): per client, a token bucket (<see cref="PayoutsOptions.ClientRateLimit"/>) and
/// at most <see cref="PayoutsOptions.MaxConcurrentPerClient"/> submissions at once, so one client
/// can never starve another; for the whole gateway, at most
/// <see cref="PayoutsOptions.MaxConcurrentSubmissions"/> at once. No queue: a refused submission
/// is answered 429 with Retry-After at once, before anything is stored, so a caller's timeout
/// never hides a payout that was in fact accepted.
/// </summary>
public sealed class SubmissionLimits : IDisposable
{
    /// <summary>When a concurrency limiter refuses it cannot say when a slot frees; a short honest guess.</summary>
    private static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

    private readonly PayoutsOptions _options;
    private readonly ConcurrencyLimiter _all;
    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly PartitionedRateLimiter<string>? _rate;

    public SubmissionLimits(IOptions<PayoutsOptions> options)
    {
        _options = options.Value;
        _all = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = _options.MaxConcurrentSubmissions, QueueLimit = 0 });
        _perClient = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetConcurrencyLimiter(client,
            _ => new ConcurrencyLimiterOptions { PermitLimit = _options.MaxConcurrentPerClient, QueueLimit = 0 }));
        _rate = _options.ClientRateLimit is { } rate
            ? PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = rate.Burst,
                    TokensPerPeriod = rate.Permits,
                    ReplenishmentPeriod = rate.Period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }))
            : null;
    }

    /// <summary>A slot for one submission of <paramref name="client"/>, or the 429 to answer (nothing taken).</summary>
    public Admission TryAdmit(string client)
    {
        var own = _perClient.AttemptAcquire(client);
        if (!own.IsAcquired)
        {
            own.Dispose();
            return Admission.Refuse(ConcurrencyRetryAfter, Problems.ClientRateLimited(
                $"This API client already has {_options.MaxConcurrentPerClient} payouts being submitted (Payouts:MaxConcurrentPerClient)."));
        }

        var all = _all.AttemptAcquire();
        if (!all.IsAcquired)
        {
            all.Dispose();
            own.Dispose();
            return Admission.Refuse(ConcurrencyRetryAfter, Problems.Overloaded());
        }

        if (_rate is null)
        {
            return Admission.Admit(new SubmissionSlot(own, all));
        }

        var token = _rate.AttemptAcquire(client);
        if (!token.IsAcquired)
        {
            var rate = _options.ClientRateLimit!;
            var retryAfter = token.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : rate.Period;
            token.Dispose();
            all.Dispose();
            own.Dispose();
            return Admission.Refuse(retryAfter, Problems.ClientRateLimited(
                $"This API client is over its rate of {rate.Permits} payouts per {rate.Period} (burst {rate.Burst}; Payouts:ClientRateLimit)."));
        }

        return Admission.Admit(new SubmissionSlot(own, all, token));
    }

    public void Dispose()
    {
        _rate?.Dispose();
        _perClient.Dispose();
        _all.Dispose();
    }
}

/// <summary>The outcome of <see cref="SubmissionLimits.TryAdmit"/>: a slot to hold, or a refusal with its Retry-After.</summary>
public sealed class Admission
{
    private Admission(SubmissionSlot? slot, TimeSpan retryAfter, ProblemHttpResult? refusal)
    {
        Slot = slot;
        RetryAfter = retryAfter;
        Refusal = refusal;
    }

    public SubmissionSlot? Slot { get; }

    public TimeSpan RetryAfter { get; }

    public ProblemHttpResult? Refusal { get; }

    /// <summary>Whole seconds, at least 1, for the Retry-After header.</summary>
    public string RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    internal static Admission Admit(SubmissionSlot slot) => new(slot, TimeSpan.Zero, null);

    internal static Admission Refuse(TimeSpan retryAfter, ProblemHttpResult refusal) => new(null, retryAfter, refusal);
}

/// <summary>The leases one admitted submission holds until it answers (the rate token is spent, not returned).</summary>
public sealed class SubmissionSlot(params RateLimitLease[] leases) : IDisposable
{
    public void Dispose()
    {
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }
}

/// <summary>Checks the nested <see cref="ClientRateLimitOptions"/> with its declared limits.</summary>
internal sealed class SubmissionLimitsValidator : IValidateOptions<PayoutsOptions>
{
    public ValidateOptionsResult Validate(string? name, PayoutsOptions options)
    {
        var results = new List<ValidationResult>();
        if (options.ClientRateLimit is not { } rate)
        {
            return ValidateOptionsResult.Success;
        }

        return Validator.TryValidateObject(rate, new ValidationContext(rate), results, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => $"Payouts:ClientRateLimit:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}

public static class LoadShedding
{
    public static IServiceCollection AddPayoutLoadShedding(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<PayoutsOptions>, SubmissionLimitsValidator>();
        services.AddSingleton<SubmissionLimits>();

        // No rate limiting middleware: submissions are limited in PayoutSubmission after their body
        // is read, pass-through in its own guard; no endpoint has a policy.

        // How slowly a body may arrive (the submission's own read deadline is Payouts:BodyReadTimeout).
        services.AddGatewayKestrelLimits();
        return services;
    }
}

internal static partial class SubmissionLog
{
    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Payout submission of client {Client} refused: its body did not arrive within {LimitSeconds} s (408, nothing stored)")]
    public static partial void BodyTooSlow(ILogger logger, string client, double limitSeconds);
}
