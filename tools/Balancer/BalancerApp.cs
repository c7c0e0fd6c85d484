using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Balancer;

/// <summary>
/// A YARP reverse proxy in front of the gateway replicas, configured only through configuration
/// (<c>ReverseProxy</c> section, <see cref="DefaultsFile"/> overridden by the environment and the
/// command line). Every path goes to the <c>gateways</c> cluster, round-robin over its healthy
/// destinations: an active check GETs each gateway's <c>/health/ready</c> every 2 s and takes a
/// destination out after 2 consecutive failures (a gateway that is draining answers 503 there
/// from its first second of <c>SIGTERM</c>); a passive check takes one out for 10 s when half of
/// its proxied requests fail at the transport level. If none is healthy, every destination gets
/// traffic again (<c>HealthyOrPanic</c>), so clients see the gateways' own 503 answers.
/// Bodies are streamed, never buffered or changed; request headers (<c>X-Api-Key</c>,
/// <c>Idempotency-Key</c>) pass through as sent; YARP adds <c>X-Forwarded-*</c>. No retries: a
/// payout request reaches at most one gateway.
/// </summary>
public static class BalancerApp
{
    public const string DefaultsFile = "balancer.json";

    /// <summary>The balancer's own health: 200 while every cluster has a destination not known to be unhealthy.</summary>
    public const string HealthPath = "/balancer/health";

    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The defaults file first, then the environment and command line again, so both override it.
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, DefaultsFile), optional: false, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

        var app = builder.Build();
        app.MapGet(HealthPath, (IProxyStateLookup proxy) =>
        {
            var clusters = proxy.GetClusters().Select(c => new ClusterHealth(c.ClusterId,
                c.Destinations.Count,
                c.Destinations.Values.Count(IsHealthy))).ToList();
            var healthy = clusters.Count > 0 && clusters.All(c => c.Healthy > 0);
            return Results.Json(new { status = healthy ? "healthy" : "unhealthy", clusters }, statusCode: healthy ? 200 : 503);
        });
        app.MapReverseProxy();
        return app;
    }

    private static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

    private sealed record ClusterHealth(string Cluster, int Destinations, int Healthy);
}
