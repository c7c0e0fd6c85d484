using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Partners;

/// <summary>
/// A partner without <c>BaseUrl</c> is simply not enabled. An enabled partner must pass its
/// declared limits (including <see cref="BreakerOptions"/> and <see cref="RateLimitOptions"/>) and the cross-field rules; every
/// error is reported at once. A quota is optional (no <c>RateLimit:Permits</c>, no limit), but its other
/// settings without <c>Permits</c> are refused rather than ignored.
/// </summary>
internal sealed class PartnerOptionsValidator<TOptions>(string partner) : IValidateOptions<TOptions>
    where TOptions : PartnerOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (options.BaseUrl is null)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        Check(options, $"Partners:{partner}", errors);
        Check(options.Breaker, $"Partners:{partner}:Breaker", errors);
        Check(options.RateLimit, $"Partners:{partner}:RateLimit", errors);
        if (!options.BaseUrl.IsAbsoluteUri || options.BaseUrl.Scheme is not ("http" or "https"))
        {
            errors.Add($"Partners:{partner}:BaseUrl must be an absolute http(s) URL.");
        }

        var quota = options.RateLimit;
        if (!quota.IsConfigured)
        {
            // No quota, no limit: a part of one without Permits is a mistake, never a silent default.
            foreach (var (key, set) in new[]
            {
                ("Period", quota.Period is not null), ("Burst", quota.Burst is not null),
                ("QueueLimit", quota.QueueLimit is not null), ("PassThroughShare", quota.PassThroughShare is not null),
            })
            {
                if (set)
                {
                    errors.Add($"Partners:{partner}:RateLimit:{key} is set but Permits is not: a quota needs Permits (without a quota nothing is limited).");
                }
            }
        }

        if (options.TotalTimeout < options.Timeout)
        {
            errors.Add($"Partners:{partner}:TotalTimeout ({options.TotalTimeout}) must be at least Timeout ({options.Timeout}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(object value, string prefix, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            errors.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
