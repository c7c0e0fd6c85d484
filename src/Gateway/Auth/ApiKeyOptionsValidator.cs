using Microsoft.Extensions.Options;

namespace Gateway.Auth;

/// <summary>Cross-field rules: keys are non-trivial and no two clients share one.</summary>
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

        foreach (var (client, key) in options.ApiKeys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length < MinimumKeyLength)
            {
                errors.Add($"Auth:ApiKeys:{client} must be at least {MinimumKeyLength} characters.");
            }
        }

        foreach (var group in options.ApiKeys.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Auth:ApiKeys: clients {string.Join(", ", group.Select(p => p.Key))} share one key.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
