using Microsoft.Extensions.Options;

namespace Gateway.Auth;

/// <summary>
/// Cross-field rules: every key (client, on-call or operator) is non-trivial and belongs to exactly
/// one holder, so a key never carries two roles.
/// </summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    internal const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var errors = new List<string>();
        if (options.ApiKeys.Count == 0)
        {
            errors.Add("Auth:ApiKeys must name at least one client (Auth:ApiKeys:<clientName>=<key>).");
        }

        var holders = options.Holders().ToList();
        foreach (var (setting, _, _, key) in holders)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length < MinimumKeyLength)
            {
                errors.Add($"{setting} must be at least {MinimumKeyLength} characters.");
            }
        }

        foreach (var group in holders.Where(h => !string.IsNullOrEmpty(h.Key)).GroupBy(h => h.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var settings = group.Select(h => h.Setting).ToList();
            errors.Add(group.Select(h => h.Role).Distinct(StringComparer.Ordinal).Count() > 1
                ? $"{string.Join(" and ", settings)} share one key: a key carries one role (client, on-call or operator), never two."
                : $"{string.Join(", ", settings)} share one key.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
