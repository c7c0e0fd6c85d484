using Gateway.Auth;
using Gateway.Partners;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace Gateway.Proxy;

/// <summary>
/// The YARP routes and clusters, built once from configuration at start-up. For each enabled
/// partner with pass-through credentials and either no quota or a pass-through share of it: one cluster (the
/// partner's BaseUrl, behind active health checks with <c>HealthyAndUnknown</c> destinations, so
/// an unhealthy partner is a 503, never a blind send) and one route per allow-listed endpoint —
/// exactly <c>/partners/&lt;partner&gt;&lt;path&gt;</c> with exactly its method, behind the API key.
/// There is no catch-all route to a partner: whatever routing does not match is answered by
/// <see cref="PartnerProxySetup.MapPartnerProxy"/>'s fallback (403 or 404) and never reaches YARP.
/// </summary>
internal sealed class PartnerProxyConfig(PartnerRegistry partners, IOptions<ProxyOptions> options)
    : IProxyConfigProvider
{
    private readonly Lazy<IProxyConfig> _config = new(() => Build(partners, options.Value));

    public IProxyConfig GetConfig() => _config.Value;

    private static StaticConfig Build(PartnerRegistry partners, ProxyOptions options)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var enabled in partners.Enabled)
        {
            var partner = enabled.Name;
            var partnerOptions = enabled.Options;
            // Without a quota nothing limits pass-through but its per-client rate; with one, a share
            // that rounds to no permit turns pass-through to the partner off.
            if (enabled.ProxyCredentials is not { AllowList.Count: > 0 } credentials
                || enabled.Quota is { PassThrough: null })
            {
                continue;
            }

            routes.AddRange(credentials.AllowList.Select((endpoint, i) => new RouteConfig
            {
                RouteId = $"partner-{partner}-{i}",
                ClusterId = partner,
                AuthorizationPolicy = ApiKeyAuthentication.Policy,
                Match = new RouteMatch { Path = PassThroughRoute.Prefix(partner) + endpoint.Path, Methods = [endpoint.Method] },
                Metadata = new Dictionary<string, string>
                {
                    [PassThroughRoute.PartnerMetadata] = partner,
                    [PassThroughRoute.EndpointMetadata] = endpoint.ToString(),
                },
            }));
            clusters.Add(new ClusterConfig
            {
                ClusterId = partner,
                Destinations = new Dictionary<string, DestinationConfig>
                {
                    [partner] = new() { Address = partnerOptions.BaseUrl!.ToString() },
                },
                HealthCheck = new HealthCheckConfig
                {
                    AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyAndUnknown,
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true,
                        Interval = options.HealthCheckInterval,
                        Timeout = options.HealthCheckTimeout,
                        Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                        Path = credentials.HealthPath,
                    },
                },
                HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = partnerOptions.Timeout },
                Metadata = new Dictionary<string, string>
                {
                    [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] =
                        options.UnhealthyAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            });
        }

        return new StaticConfig(routes, clusters);
    }

    private sealed class StaticConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;
        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
