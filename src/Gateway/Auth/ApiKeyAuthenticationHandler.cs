using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Auth;

/// <summary>
/// <c>X-Api-Key</c> → the holder's name and role (<see cref="ApiKeyRoles"/>), compared in constant
/// time and never logged. A client's name is the principal's name and scopes idempotency keys and
/// payouts. A missing or unknown key is 401; a known key outside its role is 403; both are
/// problem+json and nothing is stored or forwarded.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyTable keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.PrincipalOf(values[0]!) is not { } principal)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            type: Hosting.Problems.TypeBase + "unauthorized",
            title: "Missing or unknown API key.",
            detail: $"Send a configured key in the {HeaderName} header. Nothing was stored.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await Hosting.Problems.Forbidden(Context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value).ExecuteAsync(Context);
    }
}
