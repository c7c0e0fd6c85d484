using Microsoft.Extensions.Options;

namespace Gateway.Payouts;

/// <summary>
/// <c>Payouts:IdSecret</c>: the server secret payout ids are keyed with (HMAC-SHA256), so no
/// caller can predict another's reference. When it is not configured outside Development, every
/// instance uses one random secret generated once and shared through Redis (see
/// <see cref="PayoutIds"/>); configure it to keep ids stable even if Redis loses its data. Rotating it changes
/// the id every (client, key) maps to: put the old secret in <c>Payouts:PreviousIdSecrets:0</c>
/// (and so on) for at least <c>Payouts:RetentionAfterFinal</c> plus the longest time a client
/// may retry a key, so retries of keys used before the rotation still find their payout.
/// </summary>
public sealed class PayoutIdOptions
{
    /// <summary>The secret used when none is configured, in Development only. Obviously not secret.</summary>
    internal const string DevelopmentSecret = "development-only-payout-id-secret-not-for-production";

    internal const int MinimumLength = 32;

    public string? IdSecret { get; set; }

    /// <summary>Secrets used before the current one, newest first; their ids are still recognised.</summary>
    public List<string> PreviousIdSecrets { get; set; } = [];
}

/// <summary>The secret is present and long outside Development, and distinct from the previous ones.</summary>
internal sealed class PayoutIdOptionsValidator(IHostEnvironment environment) : IValidateOptions<PayoutIdOptions>
{
    public ValidateOptionsResult Validate(string? name, PayoutIdOptions options)
    {
        var errors = new List<string>();
        if (options.IdSecret is null)
        {
            // Outside Development, PayoutIds then uses the secret shared through Redis.
        }
        else if (options.IdSecret.Length < PayoutIdOptions.MinimumLength)
        {
            errors.Add($"Payouts:IdSecret must be at least {PayoutIdOptions.MinimumLength} characters.");
        }
        else if (!environment.IsDevelopment() && options.IdSecret == PayoutIdOptions.DevelopmentSecret)
        {
            errors.Add("Payouts:IdSecret must not be the development secret outside Development.");
        }

        for (var i = 0; i < options.PreviousIdSecrets.Count; i++)
        {
            var previous = options.PreviousIdSecrets[i];
            if (string.IsNullOrEmpty(previous) || previous.Length < PayoutIdOptions.MinimumLength)
            {
                errors.Add($"Payouts:PreviousIdSecrets:{i} must be at least {PayoutIdOptions.MinimumLength} characters.");
            }
            else if (previous == options.IdSecret)
            {
                errors.Add($"Payouts:PreviousIdSecrets:{i} is the current Payouts:IdSecret.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
