using Gateway.Auth;
using Gateway.Partners;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace Gateway.Proxy;

/// <summary>
/// The YARP routes and clusters, one pair per enabled partner that has pass-through
/// credentials: <c>/partners/{partner}/{**path}</c> → the partner's BaseUrl, behind the API key,
/// with active health checks and <c>HealthyAndUnknown</c> destinations (an unhealthy partner is
/// a 503, never a blind send). Built once from configuration at start-up.
/// </summary>
internal sealed class PartnerProxyConfig(PartnerRegistry partners, IServiceProvider services, IOptions<ProxyOptions> options)
    : IProxyConfigProvider
{
    public const string PartnerMetadata = "partner";

    private readonly Lazy<IProxyConfig> _config = new(() => Build(partners, services, options.Value));

    public IProxyConfig GetConfig() => _config.Value;

    private static StaticConfig Build(PartnerRegistry partners, IServiceProvider services, ProxyOptions options)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var partner in partners.Enabled.Select(p => p.Name))
        {
            if (services.GetKeyedService<IPartnerProxyCredentials>(partner) is not { } credentials)
            {
                continue;
            }

            var partnerOptions = partners.OptionsOf(partner);
            routes.Add(new RouteConfig
            {
                RouteId = "partner-" + partner,
                ClusterId = partner,
                AuthorizationPolicy = ApiKeyAuthentication.Policy,
                Match = new RouteMatch { Path = $"/partners/{partner}/{{**path}}" },
                Metadata = new Dictionary<string, string> { [PartnerMetadata] = partner },
            });
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
