using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Partners.Chaos;

/// <summary>
/// Chaos is refused in Production, whatever else is set: one start-up error (<c>Hosting/StartupErrors</c>).
/// Elsewhere each named partner must be one this build speaks and its settings within their limits.
/// Nothing is checked while chaos is off (its settings may stay in a staging file).
/// </summary>
internal sealed class ChaosOptionsValidator(IHostEnvironment environment, IEnumerable<PartnerModule> modules) : IValidateOptions<ChaosOptions>
{
    public const string RefusedInProduction =
        "Chaos:Enabled is true in the Production environment: fault injection is refused in Production (set Chaos:Enabled=false; game days run in Staging).";

    public ValidateOptionsResult Validate(string? name, ChaosOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (environment.IsProduction())
        {
            return ValidateOptionsResult.Fail(RefusedInProduction);
        }

        var known = modules.Select(m => m.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var (partner, chaos) in options.Partners)
        {
            var prefix = $"{ChaosOptions.Section}:Partners:{partner}";
            if (!known.Contains(partner))
            {
                errors.Add($"{prefix} names unknown partner '{partner}' (known: {string.Join(", ", known.Order(StringComparer.Ordinal))}).");
                continue;
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(chaos, new ValidationContext(chaos), results, validateAllProperties: true))
            {
                errors.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }

            if (chaos.OutcomeStatus is not 429 and not (>= 500 and <= 599))
            {
                errors.Add($"{prefix}:OutcomeStatus is {chaos.OutcomeStatus}: an injected answer is 429 or a 5xx.");
            }

            if (chaos.LatencyRate > 0 && chaos.Latency <= TimeSpan.Zero)
            {
                errors.Add($"{prefix}:Latency must be more than zero when LatencyRate is set.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
