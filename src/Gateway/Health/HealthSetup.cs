using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Gateway.Health;

public static class HealthSetup
{
    public static IServiceCollection AddGatewayHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: ["ready"])
            .AddCheck<StoreEpochHealthCheck>("state-store-epoch", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Both answer JSON in the HealthChecks UI format (<see cref="HealthJson"/>), 200 when healthy, 503 when not.
    /// <c>/health/live</c>: the process is up. <c>/health/ready</c>: Redis answers and the instance
    /// is not shutting down (configuration was valid, or the host would not have started).
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = HealthJson.WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthJson.WriteAsync }).AllowAnonymous();
        return app;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.0} ms");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                var endpoints = string.Join(",", redis.GetEndPoints(configuredOnly: true).Select(EndPointCollection.ToString));
                return HealthCheckResult.Unhealthy($"Redis is unreachable at {endpoints}", ex);
            }
        }
    }

    /// <summary>
    /// Degraded (still 200, still ready) while the state store is known to have lost its data
    /// (<see cref="Storage.StoreEpoch"/>). Not unready on purpose: every instance sees the same loss,
    /// so readiness would take them all out of the balancer, and clients would get the balancer's bare
    /// 502/503 instead of the gateway's 503 <c>state-store-lost</c>; reads of the payouts that are
    /// still stored keep working. The loss is reported here, in the metrics and in
    /// <c>/v1/diagnostics/state-store</c>; the epoch is read by its own monitor, not by this check.
    /// </summary>
    private sealed class StoreEpochHealthCheck(Storage.StoreEpoch epoch) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(epoch.Current is { IsLost: true } lost
                ? HealthCheckResult.Degraded($"The state store lost its data (found {lost.LostSince:o}): new payouts are refused with 503 state-store-lost until an operator accepts the loss or Redis is restored")
                : HealthCheckResult.Healthy(epoch.Current.Epoch is null ? "State store epoch not read yet" : "State store epoch intact"));
    }

    /// <summary>Not ready from the moment the host begins to stop (SIGTERM): load balancers send new work elsewhere.</summary>
    private sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("The instance is shutting down")
                : HealthCheckResult.Healthy("Not shutting down"));
    }
}
