using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Auth;

public static class ApiKeyAuthentication
{
    /// <summary>The policy every <c>/v1</c> and <c>/partners</c> endpoint requires.</summary>
    public const string Policy = "ApiClient";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>()
            .Bind(configuration.GetSection(ApiKeyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The authenticated client's name (the scope of its idempotency keys).</summary>
    public static string ClientName(this HttpContext context) =>
        context.User.Identity?.Name ?? throw new InvalidOperationException("The endpoint is not behind the API key policy.");
}
