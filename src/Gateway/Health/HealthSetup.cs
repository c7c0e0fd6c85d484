using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Gateway.Health;

public static class HealthSetup
{
    public static IServiceCollection AddGatewayHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: ["ready"]);
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

    /// <summary>Not ready from the moment the host begins to stop (SIGTERM): load balancers send new work elsewhere.</summary>
    private sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("The instance is shutting down")
                : HealthCheckResult.Healthy("Not shutting down"));
    }
}
