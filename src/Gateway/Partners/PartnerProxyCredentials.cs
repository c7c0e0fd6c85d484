using Yarp.ReverseProxy.Transforms;

namespace Gateway.Partners;

/// <summary>
/// A partner's pass-through: which of its calls may be passed through (<see cref="AllowList"/>),
/// how they are authenticated, and where it answers health probes. Registered keyed by partner
/// name beside each adapter; a partner without one has no pass-through route, and every
/// <c>/partners/&lt;partner&gt;/…</c> call to it is refused (403) with nothing signed or forwarded.
/// </summary>
public interface IPartnerProxyCredentials
{
    /// <summary>The partner's unauthenticated health endpoint, for active health checks.</summary>
    string HealthPath { get; }

    /// <summary>
    /// The only calls forwarded, matched on exact method and exact request target; nothing that
    /// moves money belongs here (it moves only through <c>POST /v1/payouts</c>).
    /// </summary>
    IReadOnlyList<PassThroughEndpoint> AllowList { get; }

    /// <summary>Adds the partner's credentials or signature to the outgoing request.</summary>
    ValueTask ApplyAsync(RequestTransformContext context);
}

/// <summary><c>Authorization: Bearer &lt;token&gt;</c>, the token read from the partner's options at call time.</summary>
public sealed class BearerProxyCredentials(string healthPath, IReadOnlyList<PassThroughEndpoint> allowList, Func<string> token)
    : IPartnerProxyCredentials
{
    public string HealthPath { get; } = healthPath;

    public IReadOnlyList<PassThroughEndpoint> AllowList { get; } = allowList;

    public ValueTask ApplyAsync(RequestTransformContext context)
    {
        context.ProxyRequest.Headers.Remove("Authorization");
        context.ProxyRequest.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token());
        return ValueTask.CompletedTask;
    }
}
