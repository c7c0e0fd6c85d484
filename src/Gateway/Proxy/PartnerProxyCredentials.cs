using Yarp.ReverseProxy.Transforms;

namespace Gateway.Proxy;

/// <summary>
/// How one partner wants pass-through calls authenticated, and where it answers health probes.
/// Registered keyed by partner name beside each adapter (a partner without one has no pass-through).
/// </summary>
public interface IPartnerProxyCredentials
{
    /// <summary>The partner's unauthenticated health endpoint, for active health checks.</summary>
    string HealthPath { get; }

    /// <summary>Adds the partner's credentials or signature to the outgoing request.</summary>
    ValueTask ApplyAsync(RequestTransformContext context);
}

/// <summary><c>Authorization: Bearer &lt;token&gt;</c>, the token read from the partner's options at call time.</summary>
public sealed class BearerProxyCredentials(string healthPath, Func<string> token) : IPartnerProxyCredentials
{
    public string HealthPath { get; } = healthPath;

    public ValueTask ApplyAsync(RequestTransformContext context)
    {
        context.ProxyRequest.Headers.Remove("Authorization");
        context.ProxyRequest.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token());
        return ValueTask.CompletedTask;
    }
}
