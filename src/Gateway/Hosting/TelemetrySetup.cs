using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Gateway.Partners;

namespace Gateway.Hosting;

/// <summary>
/// OpenTelemetry metrics, exported in the Prometheus text format at <c>GET /metrics</c> (no API
/// key: counts and latencies only, no payout ids or beneficiary data): the gateway's own
/// <see cref="GatewayMetrics.MeterName"/> meter (payouts, partner calls, breakers; recovery, the
/// processing backlog and Redis probes from <c>Storage/</c>), ASP.NET Core's and HttpClient's request meters, the .NET
/// runtime's, and Polly's resilience events (<see cref="PollyMeterName"/>).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>As in the logs (<see cref="LoggingSetup"/>).</summary>
    public const string ServiceName = "disbursement-gateway";

    /// <summary>The meter Polly's telemetry (<c>ConfigureTelemetry</c>) writes to: <c>resilience.polly.*</c>.</summary>
    public const string PollyMeterName = "Polly";

    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayMetrics.MeterName)
                .AddMeter(PollyMeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Each scrape reads the instruments afresh; Prometheus scrapes seldom enough.
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithGatewayTracing();
        return services;
    }

    public static IEndpointConventionBuilder MapGatewayMetrics(this WebApplication app)
    {
        // Created now, not on the first payout, so the breaker gauge is there from the first scrape.
        _ = app.Services.GetRequiredService<GatewayMetrics>();
        return app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().ExcludeFromDescription();
    }
}
