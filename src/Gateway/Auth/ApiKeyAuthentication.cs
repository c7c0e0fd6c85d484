using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Auth;

public static class ApiKeyAuthentication
{
    /// <summary>
    /// A client key (<see cref="ApiKeyRoles.Client"/>): <c>/v1/payouts</c> and the pass-through.
    /// An on-call key is refused with 403.
    /// </summary>
    public const string Policy = "ApiClient";

    /// <summary>
    /// An on-call key (<see cref="ApiKeyRoles.OnCall"/>): <c>/v1/diagnostics</c>, read-only across
    /// every client. Any other key is refused with 403.
    /// </summary>
    public const string OpsPolicy = "OnCall";

    /// <summary>
    /// An operator key (<see cref="ApiKeyRoles.Operator"/>): accepting a state store data loss
    /// (<c>POST /v1/state-store/accept-loss</c>). Any other key is refused with 403.
    /// </summary>
    public const string OperatorPolicy = "Operator";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>()
            .Bind(configuration.GetSection(ApiKeyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton<ApiKeyTable>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser().RequireRole(ApiKeyRoles.Client))
            .AddPolicy(OpsPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(ApiKeyRoles.OnCall))
            .AddPolicy(OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(ApiKeyRoles.Operator));
        return services;
    }

    /// <summary>The authenticated client's name (the scope of its idempotency keys and payouts).</summary>
    public static string ClientName(this HttpContext context) =>
        context.User.IsInRole(ApiKeyRoles.Client) && context.User.Identity?.Name is { } name
            ? name
            : throw new InvalidOperationException("The endpoint is not behind the client key policy.");

    internal static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)],
            ApiKeyAuthenticationHandler.SchemeName, ClaimTypes.Name, ClaimTypes.Role));
}
